/**
 * The Lambda event of an SES receipt rule (https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda-event.html),
 * the part we read. Pure, so the local runtime builds the same event and tests read it alike.
 */
export interface SesReceiptEvent {
  Records: {
    eventSource?: string;
    ses: {
      mail: { messageId: string; destination?: string[] };
      receipt: {
        recipients: string[];
        spfVerdict?: { status: string };
        dkimVerdict?: { status: string };
        dmarcVerdict?: { status: string };
      };
    };
  }[];
}

/** Where the receipt rule's S3 action puts each message: this prefix and SES's message id. */
export const INBOUND_OBJECT_PREFIX = 'raw/';

export interface ReceivedObject {
  sesMessageId: string;
  objectKey: string;
  recipients: string[];
  /** DMARC's verdict when it gave one, else SPF or DKIM passing; undefined when SES did not check. */
  senderAuthenticated: boolean | undefined;
}

const verdict = (v: { status: string } | undefined) => v?.status?.toUpperCase();

/**
 * A From is authentic when DMARC passes; DMARC failing says it is forged. Without a DMARC verdict
 * (the domain publishes no policy), SPF or DKIM passing will do; `GRAY`/`PROCESSING_FAILED` say nothing.
 */
export function senderAuthenticated(receipt: SesReceiptEvent['Records'][number]['ses']['receipt']): boolean | undefined {
  const dmarc = verdict(receipt.dmarcVerdict);
  if (dmarc === 'PASS') return true;
  if (dmarc === 'FAIL') return false;
  const spf = verdict(receipt.spfVerdict);
  const dkim = verdict(receipt.dkimVerdict);
  if (spf === 'PASS' || dkim === 'PASS') return true;
  if (spf === 'FAIL' && dkim === 'FAIL') return false;
  return undefined;
}

export function receivedMailsOf(event: SesReceiptEvent): ReceivedObject[] {
  return (event.Records ?? []).map((r) => ({
    sesMessageId: r.ses.mail.messageId,
    objectKey: `${INBOUND_OBJECT_PREFIX}${r.ses.mail.messageId}`,
    recipients: r.ses.receipt.recipients ?? [],
    senderAuthenticated: senderAuthenticated(r.ses.receipt),
  }));
}
