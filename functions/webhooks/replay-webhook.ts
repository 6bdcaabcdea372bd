import { httpHandler, json } from '../../shared/http/http-handler';
import { replayInput } from '../../shared/webhooks/webhook';
import { replayWebhook } from '../../shared/webhooks/webhook-use-cases';
import { webhookReplayDeps } from '../../shared/webhooks/wiring';

/** POST /webhooks/{id}/replay: a time range of the event archive delivered to this webhook again; 202, it runs asynchronously. */
export const handler = httpHandler({ body: replayInput }, async ({ caller, pathParameters, body }) => json(202, await replayWebhook(webhookReplayDeps, caller, pathParameters.id ?? '', body)));
