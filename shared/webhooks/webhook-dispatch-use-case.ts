import { anyEnvelopeSchema, busEventSchema } from '../../events/envelope';
import { clock } from '../clock';
import { matchesEventPattern } from '../event-pattern';
import { logInfo } from '../log';
import { newEvent } from '../outbox/outbox';
import { webhookDisabledV1 } from '../../events/webhooks/webhook-disabled.v1';
import { disabledReasonOf, healthAfter, replayedFor, signingSecrets, type Webhook } from './webhook';
import { afterAttempt, type AttemptResult, type Delivery, newDelivery, retried, webhookPayload } from './webhook-delivery';
import type { WebhookRepository } from './webhook-repository';
import type { SignedAttempt } from './webhook-gateway';

/**
 * Delivering the tenant's events to its webhooks (docs/integrations.md, "Webhooks"): the target of
 * one rule that routes every CRM domain event here, and the retry sweep. At least once: a
 * delivery is stored before its first attempt, each attempt holds a lease on it (its next attempt
 * pushed past the attempt's time limit) so the sweep and the dispatcher never send it at the same
 * time, and whatever an attempt leaves pending the sweep sends again.
 */

export interface DeliveryDeps {
  webhooks: Pick<WebhookRepository, 'list' | 'get' | 'addDelivery' | 'saveDelivery' | 'getDelivery' | 'due' | 'markFailing' | 'markRecovered' | 'disable'>;
  send: (attempt: SignedAttempt) => Promise<AttemptResult>;
  random: () => number;
}

/** An attempt holds its delivery this long: past the receiver's time limit, with room to record the outcome. */
export const ATTEMPT_LEASE_SECONDS = 60;
/** Deliveries the sweep attempts per run; the rest wait for the next run, still due. */
export const RETRIES_PER_RUN = 200;
/** Attempts the sweep runs side by side. */
const SWEEP_CONCURRENCY = 10;
/** Every minute on prod and staging, every 15 on dev-like stages (their idle budget, docs/cost.md). */
export const WEBHOOK_SWEEP_MINUTES = { persistent: 1, devLike: 15 } as const;

/** The delivery held for an attempt starting now. */
export function leased(delivery: Delivery, nowIso: string): Delivery {
  return { ...delivery, nextAttemptAt: new Date(Date.parse(nowIso) + ATTEMPT_LEASE_SECONDS * 1000).toISOString(), version: delivery.version + 1 };
}

/** One signed attempt of a held delivery, and its outcome recorded over the version held. */
export async function attemptDelivery(deps: DeliveryDeps, webhook: Webhook, held: Delivery): Promise<Delivery> {
  const at = clock.now();
  const result = await deps.send({ url: webhook.url, messageId: held.id, payload: held.payload, secrets: signingSecrets(webhook, at.toISOString()), at });
  const nowIso = clock.nowIso();
  const next = afterAttempt(held, result, nowIso, deps.random());
  // Lost: the lease ran out and the sweep attempted it again; its record stands.
  await deps.webhooks.saveDelivery(next, held.version);
  await recordHealth(deps, webhook, next, nowIso);
  return next;
}

/** The webhook's health after an attempt; switched off (and its admins told, from the event) once it failed too long. */
async function recordHealth(deps: DeliveryDeps, webhook: Webhook, delivery: Delivery, nowIso: string): Promise<void> {
  switch (healthAfter(webhook, delivery.status === 'delivered', nowIso)) {
    case 'failing':
      return deps.webhooks.markFailing(webhook.tenantId, webhook.id, nowIso);
    case 'recovered':
      return deps.webhooks.markRecovered(webhook.tenantId, webhook.id);
    case 'disable': {
      const since = webhook.failingSince!;
      const detail = newEvent(webhookDisabledV1, { tenantId: webhook.tenantId, actor: { type: 'system', id: 'webhooks' }, correlationId: `webhook-health-${webhook.id}` }, {
        webhookId: webhook.id, failingSince: since, lastStatusCode: delivery.lastStatusCode,
      });
      if (await deps.webhooks.disable(webhook, since, disabledReasonOf(since), nowIso, { detailType: webhookDisabledV1.detailType, detail })) logInfo('webhook switched off', { tenantId: webhook.tenantId, webhookId: webhook.id, failingSince: since });
      return;
    }
    case 'unchanged':
      return;
  }
}

export interface DispatchedDelivery {
  webhookId: string;
  status: Delivery['status'] | 'duplicate';
}

/** A delivered (or failed) event a replay sends again: once per replay, held for its attempt; undefined when this replay sent it already. */
async function replayedAgain(deps: DeliveryDeps, tenantId: string, webhookId: string, eventId: string, replayName: string, nowIso: string): Promise<Delivery | undefined> {
  const current = await deps.webhooks.getDelivery(tenantId, webhookId, eventId);
  if (!current || current.replayName === replayName) return undefined;
  const held = leased({ ...retried(current, nowIso), replayName }, nowIso);
  return (await deps.webhooks.saveDelivery(held, current.version)) ? held : undefined;
}

/** On every CRM domain event: one delivery per enabled webhook whose pattern matches, attempted at once. */
export async function dispatchWebhooks(deps: DeliveryDeps, event: unknown): Promise<{ eventId?: string; deliveries: DispatchedDelivery[] }> {
  const bus = busEventSchema.safeParse(event);
  const envelope = bus.success ? anyEnvelopeSchema.safeParse(bus.data.detail) : undefined;
  if (!bus.success || !envelope?.success) return { deliveries: [] };
  const { id: eventId, tenantId } = envelope.data;
  // A webhook's replay (its name names the webhook) goes to that webhook alone, sent again even if delivered before.
  const replayName = (event as { 'replay-name'?: unknown })['replay-name'];
  const replayFor = replayedFor(replayName, tenantId);
  // An archive replays every tenant's events: another tenant's webhook replay costs this one nothing.
  if (replayFor === 'other-tenant') return { eventId, deliveries: [] };
  const matched = (await deps.webhooks.list(tenantId)).filter((w) => w.enabled && (!replayFor || w.id === replayFor) && matchesEventPattern(w.eventPattern, event));
  // Each webhook's delivery on its own: a slow receiver does not hold up the others (the attempts run side by side).
  const deliveries = await Promise.all(
    matched.map(async (webhook): Promise<DispatchedDelivery> => {
      const nowIso = clock.nowIso();
      const fresh = newDelivery({ id: eventId, tenantId, webhookId: webhook.id, eventType: bus.data['detail-type'], payload: webhookPayload(envelope.data) }, nowIso);
      const delivery = leased(replayFor ? { ...fresh, replayName: String(replayName) } : fresh, nowIso);
      // Stored first, so a crash before the attempt leaves it for the sweep; a redelivered event finds it there.
      if (await deps.webhooks.addDelivery(delivery)) return { webhookId: webhook.id, status: (await attemptDelivery(deps, webhook, delivery)).status };
      if (!replayFor) return { webhookId: webhook.id, status: 'duplicate' };
      const held = await replayedAgain(deps, tenantId, webhook.id, eventId, String(replayName), nowIso);
      return held ? { webhookId: webhook.id, status: (await attemptDelivery(deps, webhook, held)).status } : { webhookId: webhook.id, status: 'duplicate' };
    }),
  );
  if (deliveries.length) logInfo('webhooks dispatched', { eventId, tenantId, deliveries });
  return { eventId, deliveries };
}

/** One due delivery: held and attempted, or failed when its webhook went away, or left to whoever holds it. */
async function retryOne(deps: DeliveryDeps, due: { tenantId: string; webhookId: string; deliveryId: string }): Promise<'attempted' | 'skipped'> {
  const [delivery, webhook] = await Promise.all([deps.webhooks.getDelivery(due.tenantId, due.webhookId, due.deliveryId), deps.webhooks.get(due.tenantId, due.webhookId, true)]);
  const nowIso = clock.nowIso();
  if (!delivery || delivery.status !== 'pending' || !delivery.nextAttemptAt || delivery.nextAttemptAt > nowIso) return 'skipped';
  if (!webhook || !webhook.enabled) {
    const reason = webhook ? 'The webhook is switched off' : 'The webhook was deleted';
    await deps.webhooks.saveDelivery({ ...delivery, status: 'failed', nextAttemptAt: null, lastError: reason, version: delivery.version + 1 }, delivery.version);
    return 'skipped';
  }
  const held = leased(delivery, nowIso);
  if (!(await deps.webhooks.saveDelivery(held, delivery.version))) return 'skipped';
  await attemptDelivery(deps, webhook, held);
  return 'attempted';
}

/**
 * The retry sweep: each pending delivery whose next attempt is due is held (a conditional write
 * over the version read) and attempted; a webhook deleted or switched off meanwhile fails it.
 */
export async function retryDueDeliveries(deps: DeliveryDeps): Promise<{ attempted: number; skipped: number }> {
  let attempted = 0;
  let skipped = 0;
  const due = await deps.webhooks.due(clock.nowIso(), RETRIES_PER_RUN);
  // A few at a time: each attempt may wait up to its time limit on a slow receiver.
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const outcome = await retryOne(deps, due[next++]!);
      if (outcome === 'attempted') attempted += 1;
      else skipped += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, due.length) }, worker));
  return { attempted, skipped };
}
