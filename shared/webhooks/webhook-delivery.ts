/**
 * One event's delivery to one webhook (docs/integrations.md, "Webhooks"): at least once, retried
 * with exponential backoff and jitter for up to 24 hours, then `failed` for good (a user may still
 * retry it). Pure: the states, the backoff, the payload.
 */

export const RETRY_WINDOW_HOURS = 24;
/** The first retry waits about this long; each next one twice as long, up to MAX_BACKOFF. */
export const FIRST_BACKOFF_SECONDS = 30;
export const MAX_BACKOFF_SECONDS = 6 * 3600;
/** A receiver has this long to answer an attempt. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** What of a failed answer is kept for the delivery log. */
export const MAX_ERROR_CHARS = 300;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** The event's id: one delivery per event and webhook, so a redelivered event is not sent twice as new. */
  id: string;
  tenantId: string;
  webhookId: string;
  eventType: string;
  /** The exact body every attempt sends (and the signature covers). */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  /** When its 24 hours of retries started: its creation, or a user's retry. */
  windowFrom: string;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  /** When the next attempt is due while pending. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** The replay that last sent it again, if one did (a replay sends each event once). */
  replayName?: string | null;
  version: number;
}

export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  /** Why the attempt failed when no status says it (refused address, timeout, connection). */
  error: string | null;
}

/**
 * The body: the Standard Webhooks shape `{type, timestamp, data}`, `data` being the CRM's event
 * envelope as on the bus (id, type, occurredAt, tenantId, actor, correlationId, data).
 */
export function webhookPayload(envelope: { id: string; type: string; occurredAt: string }): string {
  return JSON.stringify({ type: envelope.type, timestamp: envelope.occurredAt, data: envelope });
}

export function newDelivery(fields: Pick<Delivery, 'id' | 'tenantId' | 'webhookId' | 'eventType' | 'payload'>, nowIso: string): Delivery {
  return { ...fields, status: 'pending', attempts: 0, createdAt: nowIso, windowFrom: nowIso, lastAttemptAt: null, lastStatusCode: null, lastLatencyMs: null, lastError: null, nextAttemptAt: nowIso, deliveredAt: null, version: 1 };
}

export const succeeded = (result: AttemptResult) => result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;

/**
 * Seconds before the retry after the `attempts`-th failure: 30 s, 1 min, 2 min... doubling up to
 * 6 hours, each scaled by a jitter in [0.5, 1) so receivers coming back are not hit in step.
 */
export function backoffSeconds(attempts: number, random: number): number {
  const base = Math.min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(base * (0.5 + random / 2)));
}

/** The delivery after an attempt: delivered, due again later, or failed once the retry window is over. */
export function afterAttempt(delivery: Delivery, result: AttemptResult, nowIso: string, random: number): Delivery {
  const attempts = delivery.attempts + 1;
  const recorded = { ...delivery, attempts, lastAttemptAt: nowIso, lastStatusCode: result.statusCode, lastLatencyMs: result.latencyMs, lastError: result.error?.slice(0, MAX_ERROR_CHARS) ?? null, version: delivery.version + 1 };
  if (succeeded(result)) return { ...recorded, status: 'delivered', nextAttemptAt: null, deliveredAt: nowIso };
  const next = new Date(Date.parse(nowIso) + backoffSeconds(attempts, random) * 1000).toISOString();
  const windowEnds = new Date(Date.parse(delivery.windowFrom) + RETRY_WINDOW_HOURS * 3_600_000).toISOString();
  return next > windowEnds ? { ...recorded, status: 'failed', nextAttemptAt: null } : { ...recorded, status: 'pending', nextAttemptAt: next };
}

/** A user's retry: due now, whatever became of it (a delivered one is sent again too: at least once). */
export function retried(delivery: Delivery, nowIso: string): Delivery {
  return { ...delivery, status: 'pending', nextAttemptAt: nowIso, windowFrom: nowIso, version: delivery.version + 1 };
}

export function deliveryView(delivery: Delivery) {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    lastAttemptAt: delivery.lastAttemptAt,
    lastStatusCode: delivery.lastStatusCode,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt,
    deliveredAt: delivery.deliveredAt,
  };
}
