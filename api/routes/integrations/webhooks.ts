import { createWebhookInput, MAX_REPLAY_DAYS, MAX_WEBHOOKS_PER_TENANT, replayInput, SECRET_OVERLAP_HOURS, webhookPatch } from '../../../shared/webhooks/webhook';
import { staleVersion } from '../../responses/common';
import { deliveryPageResponse, deliveryResponse, replayResponse, webhookListResponse, webhookResponse, webhookWithSecretResponse } from '../../responses/webhooks';
import { areaRoutes } from '../../route';

const id = { id: 'Webhook id' };
const admins = 'Only admins manage webhooks (`forbidden`).';
const notFound = 'No such webhook.';
const invalid =
  'A URL that is not https (deployed stages), carries credentials, or names a link-local, metadata (169.254.169.254, fd00:ec2::254) or, on deployed stages, non-public address (`url`); ' +
  'a pattern EventBridge would refuse, named by its part (`eventPattern.detail.data.to`).';

/** Webhooks: the tenant's events, signed, to a partner's URL (docs/integrations.md, "Webhooks"). */
export const WEBHOOKS_ROUTES = areaRoutes('webhooks', 'integrations', [
  {
    method: 'POST',
    path: '/webhooks',
    auth: 'jwt',
    handler: 'functions/webhooks/create-webhook.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Subscribe a URL to events',
      description:
        'Every CRM event the pattern matches (the EventBridge pattern language, over the bus event: `{"detail-type": ["crm.deal.won.v1"]}`) is POSTed to the URL, signed per the Standard ' +
        'Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`), at least once: retried with exponential backoff and jitter for up to 24 hours. ' +
        `The answer carries the signing secret, the one time it is shown. At most ${MAX_WEBHOOKS_PER_TENANT} per tenant. Admins.`,
      tags: ['Integrations'],
      requestBody: { schema: createWebhookInput, description: 'The subscription.' },
      success: { status: 201, description: 'Subscribed; `secret` signs its deliveries.', schema: webhookWithSecretResponse, headers: ['Location', 'ETag'] },
      errors: { 400: invalid, 403: admins, 409: `The tenant has ${MAX_WEBHOOKS_PER_TENANT} webhooks (\`webhook-limit-reached\`).` },
    },
  },
  {
    method: 'GET',
    path: '/webhooks',
    auth: 'jwt',
    handler: 'functions/webhooks/list-webhooks.ts',
    access: { table: 'read' },
    doc: { summary: "The tenant's webhooks", description: 'Oldest first, without secrets. Admins.', tags: ['Integrations'], success: { status: 200, description: 'The webhooks.', schema: webhookListResponse }, errors: { 403: admins } },
  },
  {
    method: 'GET',
    path: '/webhooks/{id}',
    auth: 'jwt',
    handler: 'functions/webhooks/get-webhook.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a webhook',
      description: 'Without its secret. Admins.',
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 200, description: 'The webhook.', schema: webhookResponse, headers: ['ETag'] },
      errors: { 403: admins, 404: notFound },
    },
  },
  {
    method: 'PATCH',
    path: '/webhooks/{id}',
    auth: 'jwt',
    handler: 'functions/webhooks/update-webhook.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Change a webhook',
      description: 'URL, pattern (replaced whole), description, `enabled`. Switching it back on clears the reason the CRM switched it off. With If-Match. Admins.',
      tags: ['Integrations'],
      pathParameters: id,
      requestBody: { schema: webhookPatch, description: 'The fields to change.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'Changed.', schema: webhookResponse, headers: ['ETag'] },
      errors: { 400: invalid, 403: admins, 404: notFound, 412: staleVersion('webhook') },
    },
  },
  {
    method: 'DELETE',
    path: '/webhooks/{id}',
    auth: 'jwt',
    handler: 'functions/webhooks/delete-webhook.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Delete a webhook',
      description: 'Its pending deliveries fail at their next attempt; its delivery log stays readable by id no more. Admins.',
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 204, description: 'Deleted.' },
      errors: { 403: admins, 404: notFound },
    },
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/rotate-secret',
    auth: 'jwt',
    handler: 'functions/webhooks/rotate-webhook-secret.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Rotate a webhook's signing secret",
      description: `A new secret, shown this once. The previous one keeps signing for ${SECRET_OVERLAP_HOURS} hours: every delivery meanwhile carries both signatures, so the receiver can switch without losing one. Admins.`,
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 200, description: 'Rotated; `secret` is the new one.', schema: webhookWithSecretResponse, headers: ['ETag'] },
      errors: { 403: admins, 404: notFound },
    },
  },
  {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    auth: 'jwt',
    handler: 'functions/webhooks/list-webhook-deliveries.ts',
    access: { table: 'read' },
    doc: {
      summary: "A webhook's deliveries",
      description: 'Newest event first: status, attempts, the last response code, latency and error, the next attempt. `limit` (1-100, default 25) and `cursor`. Admins.',
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 200, description: 'A page of deliveries.', schema: deliveryPageResponse },
      errors: { 400: 'A limit out of range or a cursor this list did not return (`query.limit`, `query.cursor`).', 403: admins, 404: notFound },
    },
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/deliveries/{deliveryId}/retry',
    auth: 'jwt',
    handler: 'functions/webhooks/retry-webhook-delivery.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Send a delivery again',
      description: 'Now, whatever became of it (a delivered one too: deliveries are at least once, receivers dedupe on `webhook-id`); if it fails, 24 hours of retries start again. Answers the attempt. Admins.',
      tags: ['Integrations'],
      pathParameters: { ...id, deliveryId: "The delivery's id (the event's)" },
      success: { status: 200, description: 'Attempted.', schema: deliveryResponse },
      errors: { 403: admins, 404: 'No such webhook or delivery.' },
    },
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/replay',
    auth: 'jwt',
    handler: 'functions/webhooks/replay-webhook.ts',
    access: { table: 'readWrite', replay: 'webhooks' },
    doc: {
      summary: 'Replay a time range to a webhook',
      description:
        "Every event of the range in the stage's event archive that the webhook's pattern matches is delivered to it again (an event delivered before is sent once more; one from before the " +
        `webhook existed, for the first time), signed as any delivery, with the same \`webhook-id\`. EventBridge replays asynchronously, a minute of events at a time; the deliveries show in the log. At most ${MAX_REPLAY_DAYS} days, in the past. ` +
        'One replay of a webhook runs at a time: until EventBridge reports the running one ended, another is refused. Admins.',
      tags: ['Integrations'],
      pathParameters: id,
      requestBody: { schema: replayInput, description: 'The range, ISO 8601 times.' },
      success: { status: 202, description: 'Started.', schema: replayResponse },
      errors: {
        400: `\`to\` not after \`from\` or in the future (\`to\`), a range over ${MAX_REPLAY_DAYS} days (\`from\`).`,
        403: admins,
        404: notFound,
        409: 'The webhook is switched off, or the stage keeps no event archive (`replay-unavailable`); a replay of it still runs (`replay-running`, named with its range and start in `running`).',
      },
    },
  },
]);
