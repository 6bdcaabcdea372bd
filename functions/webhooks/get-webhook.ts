import { httpHandler, json } from '../../shared/http/http-handler';
import { webhookView } from '../../shared/webhooks/webhook';
import { getWebhook } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** GET /webhooks/{id}: one subscription, without its secret; admins. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const webhook = await getWebhook(webhookDeps, caller, pathParameters.id ?? '');
  return json(200, webhookView(webhook), { etag: `"${webhook.version}"` });
});
