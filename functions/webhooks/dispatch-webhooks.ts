import { eventHandler } from '../../shared/log-context';
import { dispatchWebhooks } from '../../shared/webhooks/webhook-dispatch-use-case';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** Target of the rule that routes every CRM domain event here: one delivery per matching webhook, attempted at once. */
export const handler = eventHandler(async (event: unknown) => dispatchWebhooks(webhookDeps, event));
