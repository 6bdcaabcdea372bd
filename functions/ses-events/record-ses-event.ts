import { handleSesEvent } from '../../shared/ses-events/ses-event-use-cases';
import { sesEventDeps } from '../../shared/ses-events/wiring';
import { eventHandler } from '../../shared/log-context';

/**
 * Target of the SES events rule (source `aws.ses` on the default bus): suppresses hard-bounced and
 * complaining addresses, notes deliveries, bounces, complaints, opens and clicks on the
 * customer's timeline and, for a campaign's mail, stamps the recipient and counts the campaign's
 * stat once. A failed write throws, so EventBridge retries (every step is idempotent).
 */
export const handler = eventHandler(async (event: unknown) => handleSesEvent(sesEventDeps, event));
