import { DEFAULT_INBOUND_LIMITS } from '../../shared/cases/inbound-mail';
import { receiveInboundMail } from '../../shared/cases/inbound-use-case';
import { inboundDeps, rawMail } from '../../shared/cases/inbound-wiring';
import { receivedMailsOf, type SesReceiptEvent } from '../../shared/cases/ses-receipt';
import { logInfo } from '../../shared/log';
import { eventHandler } from '../../shared/log-context';

const { maxRawBytes } = DEFAULT_INBOUND_LIMITS;

/**
 * SES receipt rule action, after the S3 action stored the message: each received mail onto its
 * case. What the sender got wrong is an outcome, logged; only our own failures throw (Lambda retries).
 */
export const handler = eventHandler(async (event: SesReceiptEvent) => {
  const outcomes = [];
  for (const received of receivedMailsOf(event)) {
    const raw = await rawMail.read(received.objectKey, maxRawBytes);
    const outcome = raw.ok
      ? await receiveInboundMail(inboundDeps, { raw: raw.body, recipients: received.recipients, senderAuthenticated: received.senderAuthenticated, rawObjectKey: received.objectKey }, received.sesMessageId)
      : { outcome: 'refused' as const, reason: 'too-large' as const, detail: `The message is ${raw.size} bytes; at most ${maxRawBytes} are read` };
    logInfo('inbound mail', { sesMessageId: received.sesMessageId, ...outcome });
    outcomes.push({ sesMessageId: received.sesMessageId, ...outcome });
  }
  return { outcomes };
});
