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
  replayStillRuns,
  rotatedSecrets,
  type Webhook,
  webhookErrors,
  type WebhookPatch,
  type WebhookReplay,
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

/** Two overlapping replays would each send their events once more: one runs at a time per webhook. */
export class ReplayRunning extends Conflict {
  override readonly slug = 'replay-running';
  constructor(running: WebhookReplay | undefined) {
    super(
      running
        ? `Replay ${running.replayName} of this webhook, of ${running.from} to ${running.to}, started at ${running.startedAt}, is still running: start another once it has ended`
        : 'Another replay of this webhook started just now',
    );
    if (running) Object.assign(this.extensions, { running: { replayName: running.replayName, from: running.from, to: running.to, startedAt: running.startedAt } });
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
  const replay: WebhookReplay = {
    replayName: replayNameFor(caller.tenantId, webhook.id, randomBytes(6).toString('hex')),
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    startedAt: clock.nowIso(),
  };
  await claimReplay(deps, caller.tenantId, webhook.id, replay);
  let state: string;
  try {
    ({ state } = await deps.replays.start({ name: replay.replayName, from: new Date(replay.from), to: new Date(replay.to) }));
  } catch (error) {
    await deps.webhooks.releaseReplay(caller.tenantId, webhook.id, replay.replayName);
    throw error;
  }
  return { replayName: replay.replayName, from: replay.from, to: replay.to, state };
}

/**
 * Makes `replay` the webhook's latest, or throws ReplayRunning naming the one that runs. The
 * conditional write decides between requests at once; EventBridge's state, read only when a
 * latest replay exists, decides whether that one has ended and may be replaced.
 */
async function claimReplay(deps: WebhookReplayDeps, tenantId: string, webhookId: string, replay: WebhookReplay): Promise<void> {
  let latest: WebhookReplay | undefined;
  // A few rounds: each lost write means another request's claim, read again and judged.
  for (let round = 1; round <= 3; round++) {
    if (await deps.webhooks.claimReplay(tenantId, webhookId, replay, latest?.replayName)) return;
    latest = await deps.webhooks.latestReplay(tenantId, webhookId);
    if (latest && replayStillRuns(latest, await deps.replays.state(latest.replayName), clock.nowIso())) throw new ReplayRunning(latest);
  }
  throw new ReplayRunning(latest);
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
