import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { webhookPatch, webhookView } from '../../shared/webhooks/webhook';
import { updateWebhook } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** PATCH /webhooks/{id}: URL, pattern, description, on or off; with If-Match; admins. */
export const handler = httpHandler({ body: webhookPatch }, async ({ caller, body, pathParameters, headers }) => {
  const webhook = await updateWebhook(webhookDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'webhook'));
  return json(200, webhookView(webhook), { etag: `"${webhook.version}"` });
});
