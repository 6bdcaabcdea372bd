import { httpHandler, json } from '../../shared/http/http-handler';
import { webhookView } from '../../shared/webhooks/webhook';
import { rotateWebhookSecret } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** POST /webhooks/{id}/rotate-secret: a new secret, shown once; the old one signs on through the overlap. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const webhook = await rotateWebhookSecret(webhookDeps, caller, pathParameters.id ?? '');
  return json(200, { ...webhookView(webhook), secret: webhook.secrets[0]!.secret }, { etag: `"${webhook.version}"` });
});
