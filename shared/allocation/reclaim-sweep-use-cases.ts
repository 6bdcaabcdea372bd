import * as z from 'zod/mini';
import { customerReclaimedV1 } from '../../events/customer-reclaimed.v1';
import { customerReclaimWarningV1 } from '../../events/customer-reclaim-warning.v1';
import { clock } from '../clock';
import { toCustomer } from '../customers/customer-repository';
import { RECLAIM_SHARDS } from '../keys';
import { logError } from '../log';
import { type EventContext, newEvent } from '../outbox/outbox';
import type { Pool } from '../pools/pool';
import {
  assertSweepable,
  decideReclaim,
  RECLAIM_FIELDS,
  reclaimedCustomer,
  reclaimHistory,
  SCHEDULE_FIELDS,
  SWEEP_ACTOR,
  WARNING_FIELDS,
} from './reclaim-decision';
import { isRetryable, RetryableSweepError } from './reclaim-errors';
import type { SweepOutcome } from './reclaim-outcome';
import type { DueEntry, ReclaimRepository, SweepWrite } from './reclaim-repository';
import { bookMoveItems, MAX_BOOK_ITEMS } from './book-move';
import { leavingBook } from './user-counters';

export { SWEEP_OUTCOMES, type SweepOutcome, type SweepOutcomeKind } from './reclaim-outcome';

/**
 * The reclaim sweep's two per-run steps (docs/allocation.md): find what the index says is due,
 * and evaluate one due customer. The state machine (infra/constructs/reclaim-flow.ts) runs the
 * first once and the second per customer; shared/allocation/reclaim-digest-use-case.ts sums up.
 */

/**
 * At most this many customers per run. Their outcomes travel through the state machine, whose
 * payloads are capped at 256 KB; a backlog beyond this waits for the next run (earliest first).
 */
export const MAX_DUE_PER_RUN = 1000;
/** The outcomes' estimated size may not pass this (a margin under the 256 KB state payload limit). */
export const OUTCOME_BUDGET_BYTES = 200_000;
/** Digest lines show names this long at most (they also travel in the payload). */
export const DIGEST_NAME_LENGTH = 80;

export const digestName = (name: string) => (name.length > DIGEST_NAME_LENGTH ? `${name.slice(0, DIGEST_NAME_LENGTH - 1)}…` : name);

const utf8 = new TextEncoder();

/** Bytes of the largest outcome this entry can produce (a reclaimed one: owner, name, pool id). */
export function outcomeSizeEstimate(entry: DueEntry): number {
  const outcome: Required<Omit<SweepOutcome, 'reason' | 'error'>> = {
    tenantId: entry.tenantId,
    customerId: entry.customerId,
    outcome: 'skipped-race',
    ownerId: entry.ownerId ?? '',
    name: digestName(entry.name ?? ''),
    reclaimAt: '2000-01-01T00:00:00.000Z',
    poolId: entry.customerId,
  };
  return utf8.encode(JSON.stringify(outcome)).length + 2;
}

export interface DueCustomers {
  /** The run's time: every decision of the run is made at it. */
  now: string;
  customers: { tenantId: string; customerId: string }[];
  /** More may be due than this run takes (the next run continues). */
  capped: boolean;
}

/**
 * Every due entry of the given shards, earliest first, up to MAX_DUE_PER_RUN and the payload
 * budget. Each shard is read in pages sized to its share of what is left, so a run reads about as
 * many index entries as it evaluates, however the backlog is spread over the shards.
 */
export async function findDueCustomers(
  repo: Pick<ReclaimRepository, 'findDue'>,
  nowIso: string,
  shards: readonly number[],
  max = MAX_DUE_PER_RUN,
): Promise<DueCustomers> {
  const state = shards.map((shard) => ({ shard, next: undefined as Record<string, unknown> | undefined, done: false }));
  const found: DueEntry[] = [];
  while (found.length < max) {
    const open = state.filter((s) => !s.done);
    if (open.length === 0) break;
    const share = Math.ceil((max - found.length) / open.length);
    const pages = await Promise.all(open.map((s) => repo.findDue(s.shard, nowIso, share, s.next)));
    pages.forEach((page, i) => {
      found.push(...page.entries);
      open[i]!.next = page.next;
      open[i]!.done = page.next === undefined;
    });
  }
  found.sort((a, b) => (a.checkAt < b.checkAt ? -1 : a.checkAt > b.checkAt ? 1 : 0));
  const customers: DueCustomers['customers'] = [];
  let bytes = 0;
  for (const entry of found) {
    bytes += outcomeSizeEstimate(entry);
    if (customers.length >= max || bytes > OUTCOME_BUDGET_BYTES) break;
    customers.push({ tenantId: entry.tenantId, customerId: entry.customerId });
  }
  return { now: nowIso, customers, capped: customers.length < found.length || state.some((s) => !s.done) };
}

const findDueInput = z.object({
  shards: z.optional(z.array(z.int().check(z.minimum(0), z.maximum(RECLAIM_SHARDS - 1)))),
});

/** Task FindDueCustomers: the run's time is this Lambda's clock (the local runtime's controllable one). */
export async function findDueTask(repo: Pick<ReclaimRepository, 'findDue'>, event: unknown): Promise<DueCustomers> {
  const input = findDueInput.parse(event ?? {});
  const shards = input.shards ?? Array.from({ length: RECLAIM_SHARDS }, (_, i) => i);
  try {
    return await findDueCustomers(repo, clock.nowIso(), shards);
  } catch (error) {
    if (isRetryable(error)) throw new RetryableSweepError(error);
    throw error;
  }
}

export interface EvaluateDeps {
  repo: Pick<ReclaimRepository, 'getProfile' | 'write' | 'book' | 'tableName'>;
  /** The tenant's pools as of this run (read once per tenant and run). */
  pools(tenantId: string, runNow: string): Promise<Pool[]>;
  newId(): string;
}

export interface SweepItem {
  tenantId: string;
  customerId: string;
  /** The run's time (FindDueCustomers' `now`). */
  now: string;
  /** Ties the events the run causes together (their correlationId): the execution name. */
  runId: string;
}

/** Reads the profile and its policy, decides, and writes the decision if nothing moved meanwhile. */
export async function evaluateCustomer(deps: EvaluateDeps, item: SweepItem): Promise<SweepOutcome> {
  const base = { tenantId: item.tenantId, customerId: item.customerId };
  const raw = await deps.repo.getProfile(item.tenantId, item.customerId);
  if (!raw) return { ...base, outcome: 'skipped-race' };
  const customer = toCustomer(raw);
  if (customer.mergedInto || customer.erasedAt) return { ...base, outcome: 'skipped-race' };
  assertSweepable(customer);

  const decision = decideReclaim(customer, await deps.pools(item.tenantId, item.now), item.now);
  const write = (change: Omit<SweepWrite, 'before'>, done: SweepOutcome) =>
    deps.repo.write({ before: customer, ...change }).then((result): SweepOutcome => (result === 'written' ? done : { ...base, outcome: 'skipped-race' }));
  const context: EventContext = { tenantId: item.tenantId, actor: { ...SWEEP_ACTOR }, correlationId: item.runId };
  const ownerId = customer.ownerId!;

  switch (decision.kind) {
    case 'stale':
      return { ...base, outcome: 'skipped-race' };
    case 'no-pool':
      return write({ after: { ...customer, reclaimCheckAt: null }, fields: ['reclaimCheckAt'] }, { ...base, outcome: 'no-pool' });
    case 'exempt':
      return write(
        { after: { ...customer, homePoolId: decision.home.id, reclaimCheckAt: null }, fields: SCHEDULE_FIELDS },
        { ...base, outcome: 'exempt', reason: decision.reason },
      );
    case 'reschedule':
      return write(
        { after: { ...customer, homePoolId: decision.home.id, reclaimCheckAt: decision.checkAt }, fields: SCHEDULE_FIELDS },
        { ...base, outcome: 'rescheduled', ...(decision.reclaimAt ? { reclaimAt: decision.reclaimAt } : {}) },
      );
    case 'warn': {
      const { schedule } = decision;
      const detail = newEvent(customerReclaimWarningV1, context, {
        customerId: customer.id,
        ownerId,
        reclaimAt: schedule.reclaimAt,
        rule: schedule.rule,
        days: schedule.days,
        cycle: decision.cycle,
      });
      return write(
        {
          after: { ...customer, homePoolId: decision.home.id, warnedCycle: decision.cycle, reclaimCheckAt: schedule.reclaimAt },
          fields: WARNING_FIELDS,
          events: [{ detailType: customerReclaimWarningV1.detailType, detail }],
        },
        { ...base, outcome: 'warned', ownerId, name: digestName(customer.name), reclaimAt: schedule.reclaimAt },
      );
    }
    case 'reclaim': {
      const at = clock.nowIso();
      const after = reclaimedCustomer(customer, decision.pool, at);
      // Its open deals go back unowned with it; the owner's tasks wait for whoever takes it next.
      const book = bookMoveItems(deps.repo.tableName, customer, await deps.repo.book(customer.tenantId, customer.id), { ownerId: null, teamId: null }, SWEEP_ACTOR.id, at);
      const detail = newEvent(customerReclaimedV1, context, {
        customerId: customer.id,
        fromOwnerId: ownerId,
        toOwnerId: null,
        poolId: decision.pool.id,
        version: after.version,
        rule: decision.schedule.rule,
        days: decision.schedule.days,
        policyVersion: decision.home.policyVersion,
      });
      return write(
        {
          after,
          fields: RECLAIM_FIELDS,
          // A locked customer is only reclaimed under a policy that does not exempt locks: it frees the lock too.
          counters: [leavingBook(customer)!],
          history: reclaimHistory(customer, decision.pool, deps.newId(), at),
          events: [{ detailType: customerReclaimedV1.detailType, detail }],
          book: book.slice(0, MAX_BOOK_ITEMS),
        },
        { ...base, outcome: 'reclaimed', ownerId, name: digestName(customer.name), poolId: decision.pool.id },
      );
    }
  }
}

const sweepItem = z.object({
  tenantId: z.string().check(z.minLength(1)),
  customerId: z.string().check(z.minLength(1)),
  now: z.iso.datetime(),
  runId: z.string().check(z.minLength(1)),
});

/**
 * Task EvaluateCustomer: throttling and other transient errors leave as `ReclaimRetryable` (the
 * state machine retries with backoff); an item that cannot be evaluated becomes `failed` here, so
 * it neither fails the run nor is retried in vain.
 */
export async function evaluateTask(deps: EvaluateDeps, event: unknown): Promise<SweepOutcome> {
  const parsed = sweepItem.safeParse(event);
  const ids = (event ?? {}) as { tenantId?: unknown; customerId?: unknown };
  if (!parsed.success) {
    return { tenantId: String(ids.tenantId ?? ''), customerId: String(ids.customerId ?? ''), outcome: 'failed', error: 'InvalidInput' };
  }
  const item = parsed.data;
  try {
    return await evaluateCustomer(deps, item);
  } catch (error) {
    if (isRetryable(error)) throw new RetryableSweepError(error);
    logError('reclaim: customer not evaluated', error, { tenantId: item.tenantId, customerId: item.customerId });
    return { tenantId: item.tenantId, customerId: item.customerId, outcome: 'failed', error: error instanceof Error ? error.name : 'Error' };
  }
}

/**
 * The tenant's pools, read once per tenant and run (concurrent evaluations share the read). A
 * policy change applies from the next run on; a new run forgets the previous run's pools.
 */
export function poolsPerRun(repo: Pick<ReclaimRepository, 'pools'>): EvaluateDeps['pools'] {
  let run: string | undefined;
  let cache = new Map<string, Promise<Pool[]>>();
  return (tenantId, runNow) => {
    if (run !== runNow) {
      run = runNow;
      cache = new Map();
    }
    let pools = cache.get(tenantId);
    if (!pools) {
      pools = repo.pools(tenantId).then(({ pools: readable, unreadable }) => {
        if (unreadable.length) logError('reclaim: pools with an unreadable policy are ignored', new Error('unreadable pool'), { tenantId, unreadable });
        return readable;
      });
      // A failed read must not stick for the rest of the run.
      const runCache = cache;
      pools.catch(() => runCache.delete(tenantId));
      runCache.set(tenantId, pools);
    }
    return pools;
  };
}
