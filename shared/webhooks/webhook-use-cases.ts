import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { randomBytes } from 'node:crypto';
import { Conflict, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import {
  assertCanManageWebhooks,
  type CreateWebhookInput,
  newWebhook,
  patchedWebhook,
  replayNameFor,
  type ReplayInput,
  replayRangeErrors,
  rotatedSecrets,
  type Webhook,
  webhookErrors,
  type WebhookPatch,
} from './webhook';
import type { DeliveryRules } from './webhook-address';
import type { ReplayGateway } from './webhook-replay-gateway';
import { type Delivery, retried } from './webhook-delivery';
import { attemptDelivery, type DeliveryDeps, leased } from './webhook-dispatch-use-case';
import { DeliveryNotFound, type DeliveryPage, WebhookNotFound, type WebhookRepository } from './webhook-repository';

/** Managing webhook subscriptions and their delivery logs (docs/integrations.md, "Webhooks"): admins only. */

export interface WebhookDeps extends DeliveryDeps {
  webhooks: WebhookRepository;
  rules: DeliveryRules;
}

/** Only the replay route starts replays, so only its bundle holds the EventBridge client. */
export interface WebhookReplayDeps {
  webhooks: WebhookRepository;
  replays: ReplayGateway;
}

export class ReplayUnavailable extends Conflict {
  override readonly slug = 'replay-unavailable';
  constructor(why: string) {
    super(why);
  }
}

export const DELIVERY_PAGE_SIZE = { default: 25, max: 100 } as const;

function assertValid(deps: Pick<WebhookDeps, 'rules'>, fields: { url?: string; eventPattern?: Record<string, unknown> }): void {
  const errors = webhookErrors(fields, deps.rules);
  if (errors.length > 0) throw new ValidationFailed(errors);
}

/** A new subscription; the answer carries its signing secret, the one time it is shown. */
export async function createWebhook(deps: WebhookDeps, caller: Caller, input: CreateWebhookInput): Promise<Webhook> {
  assertCanManageWebhooks(caller);
  assertValid(deps, input);
  const webhook = newWebhook(input, { id: newId(), tenantId: caller.tenantId }, caller, clock.nowIso());
  await deps.webhooks.create(webhook);
  return webhook;
}

export async function getWebhook(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller, webhookId: string, consistent = false): Promise<Webhook> {
  assertCanManageWebhooks(caller);
  const webhook = await deps.webhooks.get(caller.tenantId, webhookId, consistent);
  if (!webhook) throw new WebhookNotFound(webhookId);
  return webhook;
}

export async function listWebhooks(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller): Promise<Webhook[]> {
  assertCanManageWebhooks(caller);
  return deps.webhooks.list(caller.tenantId);
}

export async function updateWebhook(deps: WebhookDeps, caller: Caller, webhookId: string, patch: WebhookPatch, expectedVersion: number): Promise<Webhook> {
  const current = await getWebhook(deps, caller, webhookId, true);
  if (current.version !== expectedVersion) throw new StaleVersion('webhook', current.version);
  assertValid(deps, { url: patch.url, eventPattern: patch.eventPattern });
  const webhook = patchedWebhook(current, patch, caller, clock.nowIso());
  await deps.webhooks.replace(webhook, current.version);
  return webhook;
}

export async function deleteWebhook(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller, webhookId: string): Promise<void> {
  assertCanManageWebhooks(caller);
  await deps.webhooks.delete(caller.tenantId, webhookId);
}

/** A new signing secret, answered once; the previous one still signs for the overlap (both signatures are sent). */
export async function rotateWebhookSecret(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller, webhookId: string): Promise<Webhook> {
  const current = await getWebhook(deps, caller, webhookId, true);
  const nowIso = clock.nowIso();
  const webhook: Webhook = { ...current, secrets: rotatedSecrets(current, nowIso), updatedAt: nowIso, updatedBy: caller.userId, version: current.version + 1 };
  await deps.webhooks.replace(webhook, current.version);
  return webhook;
}

export async function listDeliveries(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller, webhookId: string, limit: number, cursor: string | undefined): Promise<DeliveryPage> {
  await getWebhook(deps, caller, webhookId);
  return deps.webhooks.deliveries(caller.tenantId, webhookId, limit, cursor);
}

/**
 * Replays a time range of the stage's event archive to one webhook: every event of the range its
 * pattern matches is delivered again (or for the first time, for a webhook created since), signed
 * as any delivery. The archive replays asynchronously, a minute of events at a time.
 */
export async function replayWebhook(deps: WebhookReplayDeps, caller: Caller, webhookId: string, input: ReplayInput): Promise<{ replayName: string; from: string; to: string; state: string }> {
  const webhook = await getWebhook(deps, caller, webhookId, true);
  const errors = replayRangeErrors(input, clock.nowIso());
  if (errors.length > 0) throw new ValidationFailed(errors);
  if (!webhook.enabled) throw new ReplayUnavailable('The webhook is switched off: switch it on first');
  if (!deps.replays.available()) throw new ReplayUnavailable('This stage keeps no event archive');
  const replayName = replayNameFor(caller.tenantId, webhook.id, randomBytes(6).toString('hex'));
  const { state } = await deps.replays.start({ name: replayName, from: new Date(input.from), to: new Date(input.to) });
  return { replayName, from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString(), state };
}

/** A user's retry: sent again now, whatever became of it; a new 24 hours of retries if it fails. */
export async function retryDelivery(deps: WebhookDeps, caller: Caller, webhookId: string, deliveryId: string): Promise<Delivery> {
  const webhook = await getWebhook(deps, caller, webhookId, true);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const current = await deps.webhooks.getDelivery(caller.tenantId, webhookId, deliveryId);
    if (!current) throw new DeliveryNotFound(deliveryId);
    const nowIso = clock.nowIso();
    const due = leased(retried(current, nowIso), nowIso);
    if (!(await deps.webhooks.saveDelivery(due, current.version))) continue;
    return attemptDelivery(deps, webhook, due);
  }
  throw new StaleVersion('webhook', webhook.version);
}
