import { httpHandler } from '../../shared/http/http-handler';
import { deleteWebhook } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** DELETE /webhooks/{id}: admins; 204; its pending deliveries fail at their next attempt. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  await deleteWebhook(webhookDeps, caller, pathParameters.id ?? '');
  return { statusCode: 204 };
});
