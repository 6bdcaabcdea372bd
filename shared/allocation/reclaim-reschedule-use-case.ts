import { busEventSchema } from '../../events/envelope';
import { poolCreatedV1 } from '../../events/pool-created.v1';
import { poolPolicyChangedV1 } from '../../events/pool-policy-changed.v1';
import { reclaimRescheduleContinuedV1 } from '../../events/reclaim-reschedule-continued.v1';
import { clock } from '../clock';
import type { OutboxEvent } from '../customers/customer-repository';
import { logInfo } from '../log';
import { newEvent } from '../outbox/outbox';
import type { OwnedCustomerPage } from './reclaim-reschedule-repository';

/**
 * Closes the lazy-scheduling gaps of the reclaim sweep (docs/allocation.md, "The reclaim sweep",
 * rescheduling after a pool change). The sweep drops the check of an exempt customer and of every customer of a
 * tenant without pools, and computes the others' next check under the policy of the day. A
 * tenant's first pool and a policy change make those results stale, so a pass over the tenant's
 * customers sets `reclaimCheckAt = now` on the ones concerned; the sweep then decides each anew.
 */

/** Customers read per Query page (one page is read even when the time budget is already short). */
export const PAGE_SIZE = 200;
/** Check writes in flight at once. */
export const WRITE_CONCURRENCY = 10;
/** Stop taking new pages when the invocation has less than this left; the rest goes to a continuation. */
export const STOP_MARGIN_MS = 15_000;

/**
 * The sweep's actor (SWEEP_ACTOR in reclaim-decision.ts), spelled out: importing that module would
 * pull the policy rules and their schemas into this Lambda's bundle for one constant.
 */
const RESCHEDULE_ACTOR = { type: 'system', id: 'reclaim' } as const;

export type RescheduleTrigger = 'first-pool' | 'policy-changed';

/** One invocation's share of a pass over the tenant's customers. */
export interface ReschedulePass {
  tenantId: string;
  trigger: RescheduleTrigger;
  /** The new pool, or the pool whose policy changed. */
  poolId: string;
  policyVersion: number;
  /** Where the previous invocation stopped (tenant-list sort key); null from the start. */
  after: string | null;
  originEventId: string;
  correlationId: string;
  /** Invocations of this pass before this one. */
  invocations: number;
}

/** What the pass reads of an owned customer (a projection of the tenant list). */
export interface OwnedCustomerEntry {
  customerId: string;
  ownerId: string;
  homePoolId: string | null;
  reclaimCheckAt: string | null;
}

/** A pass from the beginning of the tenant list, started by the pool event `detail`. */
const start = (detail: { id: string; tenantId: string; correlationId: string }) => ({
  tenantId: detail.tenantId,
  after: null,
  originEventId: detail.id,
  correlationId: detail.correlationId,
  invocations: 0,
});

/**
 * The pass a bus event asks for, or null for events that ask for none (a pool that is not the
 * tenant's first: every customer it could govern still has a pending check, or has a home pool
 * whose policy still holds). Throws on an event that breaks its contract.
 */
export function passFromEvent(event: unknown): ReschedulePass | null {
  const busEvent = busEventSchema.parse(event);
  switch (busEvent['detail-type']) {
    case poolCreatedV1.detailType: {
      const detail = poolCreatedV1.schema.parse(busEvent.detail);
      if (!detail.data.firstPool) return null;
      return { ...start(detail), trigger: 'first-pool', poolId: detail.data.poolId, policyVersion: detail.data.policyVersion };
    }
    case poolPolicyChangedV1.detailType: {
      const detail = poolPolicyChangedV1.schema.parse(busEvent.detail);
      return { ...start(detail), trigger: 'policy-changed', poolId: detail.data.poolId, policyVersion: detail.data.policyVersion };
    }
    case reclaimRescheduleContinuedV1.detailType: {
      const { tenantId, correlationId, data } = reclaimRescheduleContinuedV1.schema.parse(busEvent.detail);
      return { tenantId, correlationId, ...data };
    }
    default:
      return null;
  }
}

/**
 * Whether the pass sets this customer's check again. First pool: every owned customer (the sweep
 * dropped their checks for lack of a pool; one still pending is set too, which also makes a sweep
 * run that read the empty pool list lose its conditional write). Policy change of P: the
 * customers P governs (home pool P) and those no pool governs yet (the sweep routes them when it
 * gets to them, possibly to P), whatever their current check says, since it was computed (or
 * dropped as exempt) under the old policy.
 */
export function needsNewCheck(entry: OwnedCustomerEntry, pass: Pick<ReschedulePass, 'trigger' | 'poolId'>): boolean {
  if (pass.trigger === 'first-pool') return true;
  return entry.homePoolId === null || entry.homePoolId === pass.poolId;
}

/**
 * A policy-change pass whose pool has a newer policy version by now (or is gone): the newer
 * version's own event runs a pass of its own, so this one would only double the work.
 */
export function isSuperseded(pass: Pick<ReschedulePass, 'trigger' | 'policyVersion'>, currentPolicyVersion: number | null): boolean {
  if (pass.trigger === 'first-pool') return false;
  return currentPolicyVersion === null || currentPolicyVersion > pass.policyVersion;
}

/** The event that hands the rest of the pass to the next invocation. */
export function continuationEvent(pass: ReschedulePass, after: string): OutboxEvent {
  const detail = newEvent(
    reclaimRescheduleContinuedV1,
    { tenantId: pass.tenantId, actor: { ...RESCHEDULE_ACTOR }, correlationId: pass.correlationId },
    {
      trigger: pass.trigger,
      poolId: pass.poolId,
      policyVersion: pass.policyVersion,
      after,
      originEventId: pass.originEventId,
      invocations: pass.invocations + 1,
    },
  );
  return { detailType: reclaimRescheduleContinuedV1.detailType, detail };
}

export interface RescheduleRepo {
  policyVersion(tenantId: string, poolId: string): Promise<number | null>;
  ownedCustomersPage(pass: ReschedulePass, after: string | null, limit: number): Promise<OwnedCustomerPage>;
  scheduleCheck(tenantId: string, entry: OwnedCustomerEntry, at: string): Promise<'written' | 'race'>;
  continueLater(tenantId: string, poolId: string, event: OutboxEvent): Promise<void>;
}

export interface RescheduleDeps {
  repo: RescheduleRepo;
  /** The invocation's remaining time (Lambda's `context.getRemainingTimeInMillis`). */
  remainingMs(): number;
}

export interface RescheduleResult {
  pass: RescheduleTrigger | null;
  superseded: boolean;
  /** Owned customers the pages held (after the filter). */
  looked: number;
  rescheduled: number;
  /** Check writes that found the customer gone or with another owner. */
  raced: number;
  /** Where a continuation goes on; null when the tenant's list is done. */
  continuedAfter: string | null;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return results;
}

/**
 * One invocation of a pass: pages of the tenant list from where the last one stopped, each
 * candidate's check set to now, until the list ends or the time runs low; then a continuation
 * event through the outbox. Every write is harmless to repeat, so a retried event (or a retried
 * continuation) only costs its reads and writes again.
 */
export async function reschedulePass(deps: RescheduleDeps, pass: ReschedulePass): Promise<RescheduleResult> {
  const result: RescheduleResult = { pass: pass.trigger, superseded: false, looked: 0, rescheduled: 0, raced: 0, continuedAfter: null };
  if (pass.trigger === 'policy-changed' && isSuperseded(pass, await deps.repo.policyVersion(pass.tenantId, pass.poolId))) {
    return { ...result, superseded: true };
  }
  // Later than anything a sweep run that started before this invocation saw, so such a run's decision on an old policy loses its race.
  const now = clock.nowIso();
  let after = pass.after;
  do {
    const page = await deps.repo.ownedCustomersPage(pass, after, PAGE_SIZE);
    const targets = page.entries.filter((entry) => needsNewCheck(entry, pass));
    result.looked += page.entries.length;
    for (const outcome of await inBatches(targets, WRITE_CONCURRENCY, (entry) => deps.repo.scheduleCheck(pass.tenantId, entry, now))) {
      if (outcome === 'written') result.rescheduled += 1;
      else result.raced += 1;
    }
    after = page.after;
  } while (after !== null && deps.remainingMs() > STOP_MARGIN_MS);
  if (after !== null) {
    await deps.repo.continueLater(pass.tenantId, pass.poolId, continuationEvent(pass, after));
    result.continuedAfter = after;
  }
  return result;
}

/** Rule target: the pass an event asks for (none for a pool that is not the tenant's first). */
export async function rescheduleFromEvent(deps: RescheduleDeps, event: unknown): Promise<RescheduleResult> {
  const pass = passFromEvent(event);
  if (!pass) return { pass: null, superseded: false, looked: 0, rescheduled: 0, raced: 0, continuedAfter: null };
  const result = await reschedulePass(deps, pass);
  logInfo('reclaim: checks rescheduled', { tenantId: pass.tenantId, poolId: pass.poolId, originEventId: pass.originEventId, ...result });
  return result;
}
