import { randomBytes } from 'node:crypto';
import { parseInboundMail } from '../../shared/cases/inbound-mail';
import type { SesReceiptEvent } from '../../shared/cases/ses-receipt';
import type { S3StandIn } from './s3-stand-in';
import type { LocalReceiptRule } from '../wiring';

/** A rule's recipient is an address, or a domain that takes every address at it (SES's matching, without the subdomain form). */
export function ruleTakes(rule: LocalReceiptRule, address: string): boolean {
  const lower = address.toLowerCase();
  return rule.recipients.some((r) => (r.includes('@') ? r === lower : lower.endsWith(`@${r}`)));
}

export type InboundDelivery =
  | { status: 'delivered'; sesMessageId: string; rule: string; recipients: string[]; result: unknown }
  | { status: 'no-rule'; recipients: string[] };

/**
 * What SES receiving does with a message (POST /_local/inbound-email): the first receipt rule that
 * takes one of its recipients stores the raw message in (the stand-in's) S3 under the rule's prefix
 * and SES's message id, then invokes the rule's function with the receipt event. The recipients are
 * the envelope's when given, else the message's To and Cc. No spam or virus scan, no verdicts
 * (`senderAuthenticated` is then unknown), unless `verdicts` says what SES would have found.
 */
export async function deliverInboundMail(
  raw: Buffer,
  envelopeRecipients: readonly string[] | undefined,
  verdicts: { dmarc?: string; spf?: string; dkim?: string },
  parts: { rules: readonly LocalReceiptRule[]; s3: S3StandIn; invoke: (functionName: string, event: unknown) => Promise<unknown> },
): Promise<InboundDelivery> {
  const recipients = envelopeRecipients ?? (await headerRecipients(raw));
  for (const rule of parts.rules) {
    const taken = recipients.filter((r) => ruleTakes(rule, r));
    if (!taken.length) continue;
    const sesMessageId = randomBytes(20).toString('hex');
    if (rule.s3) parts.s3.put(rule.s3.bucket, `${rule.s3.prefix}${sesMessageId}`, raw);
    const status = (v: string | undefined) => (v ? { status: v.toUpperCase() } : undefined);
    const event: SesReceiptEvent = {
      Records: [{ eventSource: 'aws:ses', ses: { mail: { messageId: sesMessageId, destination: [...recipients] }, receipt: { recipients: taken, dmarcVerdict: status(verdicts.dmarc), spfVerdict: status(verdicts.spf), dkimVerdict: status(verdicts.dkim) } } }],
    };
    const result = rule.functionName ? await parts.invoke(rule.functionName, event) : null;
    return { status: 'delivered', sesMessageId, rule: rule.name, recipients: taken, result };
  }
  return { status: 'no-rule', recipients: [...recipients] };
}

async function headerRecipients(raw: Buffer): Promise<string[]> {
  const parsed = await parseInboundMail(raw);
  return parsed.ok ? [...parsed.mail.to, ...parsed.mail.cc] : [];
}
