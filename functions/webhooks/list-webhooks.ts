import { httpHandler, json } from '../../shared/http/http-handler';
import { webhookView } from '../../shared/webhooks/webhook';
import { listWebhooks } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** GET /webhooks: the tenant's subscriptions, oldest first, without secrets; admins. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listWebhooks(webhookDeps, caller)).map(webhookView) }));
