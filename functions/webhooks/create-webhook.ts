import { httpHandler, json } from '../../shared/http/http-handler';
import { createWebhookInput, webhookView } from '../../shared/webhooks/webhook';
import { createWebhook } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** POST /webhooks: admins; answers the signing secret, the one time it is shown. */
export const handler = httpHandler({ body: createWebhookInput }, async ({ caller, body }) => {
  const webhook = await createWebhook(webhookDeps, caller, body);
  return json(201, { ...webhookView(webhook), secret: webhook.secrets[0]!.secret }, { etag: `"${webhook.version}"`, location: `/webhooks/${webhook.id}` });
});
