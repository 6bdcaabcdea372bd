import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { ClaimTooLarge, ClaimUnavailable, Conflict, ValidationFailed } from '../errors';
import { checkClaimRequest, checkClaimTarget, claimDay, claimRefusalMessage, sortChosenCustomers } from './claim-rules';
import { isPoolMember, type Pool } from '../pools/pool';
import type { PoolCustomerLister } from '../pools/pool-customer-list-repository';
import { PoolNotFound } from '../pools/pool-errors';
import type { PoolReader } from '../pools/pool-repository';
import { claimChange, claimCounterRefused, claimCounters, claimRefused } from './claim-write';
import type { ClaimFromPoolInput } from './ownership-inputs';
import { changeRecords, type OwnershipRepository, type ProfileChange } from './ownership-repository';
import { MAX_ATTEMPTS } from './ownership-write';
import { bookMoveItems } from './book-move';
import { type ClaimCost, fitChosen, fitLongestWaiting } from './pool-claim-fit';

/** What a bulk claim reads and writes; the service wires the real ones, tests stubs. */
export interface PoolClaimDeps {
  customers: Pick<CustomerRepository, 'get'>;
  ownership: Pick<OwnershipRepository, 'commitBatch' | 'counts' | 'book' | 'tableName'>;
  pools: PoolReader;
  waiting: Pick<PoolCustomerLister, 'longestWaiting'>;
}

export interface PoolClaimResult {
  /** The customers the caller owns now, from this request (and, for chosen ones, a retry of it). */
  claimed: Customer[];
  /** How many were asked for; by count, fewer are claimed when fewer are waiting. */
  requested: number;
}

/** Index pages read for one attempt by count: enough to step over customers the caller may not take yet. */
const MAX_CANDIDATE_PAGES = 5;

/**
 * POST /pools/{id}/claim: a pool member takes several customers at once, either the ones they
 * chose from the pool's list (all of them or none, with the reason for each that cannot be taken)
 * or the `count` that have waited longest. One transaction per request, so the daily and owned
 * caps hold exactly, as for a single claim: the counters move by the batch's size under conditions
 * that let them reach, never pass, the caps. Each customer's open deals and its last owner's open
 * tasks move to the caller in that transaction; a batch whose books do not fit in it is refused
 * (chosen) or cut short (by count) rather than split (docs/allocation.md).
 */
export async function claimFromPool(deps: PoolClaimDeps, caller: Caller, poolId: string, input: ClaimFromPoolInput, correlationId: string): Promise<PoolClaimResult> {
  const now = clock.nowIso();
  const pool = await deps.pools.get(caller.tenantId, poolId);
  // A non-member learns nothing about the pool, not even that it exists.
  if (!pool || !isPoolMember(caller, pool)) throw new PoolNotFound(poolId);
  const field = input.customerIds ? 'customerIds' : 'count';
  const requested = input.customerIds?.length ?? input.count ?? 0;
  const limit = pool.policy.claimLimits.perRequest;
  if (requested > limit) {
    throw new ValidationFailed([{ path: field, message: claimRefusalMessage({ reason: 'per-request-limit', limit, requested }) }]);
  }
  const claim = new BatchClaim(deps, caller, pool, now, correlationId);
  return input.customerIds ? claim.chosen(input.customerIds) : claim.longestWaiting(requested);
}

class BatchClaim {
  constructor(
    private readonly deps: PoolClaimDeps,
    private readonly caller: Caller,
    private readonly pool: Pool,
    private readonly now: string,
    private readonly correlationId: string,
  ) {}

  /** The chosen customers, all or none; a lost race reads them again and decides again. */
  async chosen(ids: string[]): Promise<PoolClaimResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const read = await Promise.all(ids.map(async (id) => ({ id, customer: await this.deps.customers.get(this.caller.tenantId, id) })));
      const chosen = read.map(({ id, customer }) => ({ id, customer: customer && { ...customer, tombstoned: Boolean(customer.mergedInto || customer.erasedAt) } }));
      const sorted = sortChosenCustomers(this.caller, this.pool.id, this.pool.policy, chosen, this.now);
      if (sorted.unavailable.length > 0) throw new ClaimUnavailable(sorted.unavailable);
      const outcome = await this.commit(sorted.claimable, 'all');
      if (outcome.ok) return { claimed: [...sorted.alreadyYours, ...outcome.claimed], requested: ids.length };
    }
    throw new Conflict('The chosen customers kept changing during the request; send it again');
  }

  /** Up to `count` of the longest-waiting customers; one taken by someone else meanwhile is replaced. */
  async longestWaiting(count: number): Promise<PoolClaimResult> {
    const lost = new Set<string>();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const candidates = await this.candidates(count, lost);
      if (candidates.length === 0) return { claimed: [], requested: count };
      const outcome = await this.commit(candidates, 'what-fits');
      if (outcome.ok) return { claimed: outcome.claimed, requested: count };
      for (const id of outcome.lost) lost.add(id);
    }
    throw new Conflict('Other claims kept taking the same customers; send the request again');
  }

  /** The first `count` waiting customers the caller may take (the cooldown skips some), oldest first. */
  private async candidates(count: number, lost: Set<string>): Promise<Customer[]> {
    const found: Customer[] = [];
    let after: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_CANDIDATE_PAGES && found.length < count; page++) {
      const { items, next } = await this.deps.waiting.longestWaiting(this.caller.tenantId, this.pool.id, count - found.length + lost.size, after);
      for (const customer of items) {
        if (found.length < count && !lost.has(customer.id) && checkClaimTarget(this.caller, customer, this.pool.policy, this.now).ok) found.push(customer);
      }
      if (!next) break;
      after = next;
    }
    return found;
  }

  /**
   * One transaction for the batch, the customers' books in it. The request's caps are checked on
   * the counters first, for a refusal with its numbers; the transaction's counter conditions are
   * the enforcement. `all` (chosen customers) refuses a batch too large for one transaction;
   * `what-fits` (by count) claims the longest-waiting that fit. A customer lost to someone else
   * is named in `lost`; one whose deal or task changed meanwhile is not: the next round reads its
   * book again.
   */
  private async commit(customers: Customer[], fit: 'all' | 'what-fits'): Promise<{ ok: true; claimed: Customer[] } | { ok: false; lost: string[] }> {
    if (customers.length === 0) return { ok: true, claimed: [] };
    const { tenantId, userId } = this.caller;
    const { owned, claimedToday } = await this.deps.ownership.counts(tenantId, userId, claimDay(this.now));
    const check = checkClaimRequest({ caller: this.caller, pool: this.pool, claimedToday, ownedCount: owned, requestedCount: customers.length });
    if (!check.ok) throw claimRefused(check, this.pool.id, this.now);

    const all = await Promise.all(customers.map((customer) => this.change(customer)));
    const costs: ClaimCost[] = all.map((change) => ({ customerId: change.after.id, records: changeRecords(change), bookItems: change.book?.length ?? 0 }));
    const counterItems = claimCounters(this.caller, this.pool, this.now, customers.length).length;
    let changes = all;
    if (fit === 'all') {
      const fits = fitChosen(costs, counterItems);
      if (!fits.ok) throw new ClaimTooLarge(fits.items, fits.limit, fits.books);
    } else {
      const { taken, passedOver } = fitLongestWaiting(costs, counterItems);
      changes = all.filter((change) => taken.includes(change.after.id));
      if (changes.length === 0) return { ok: false, lost: passedOver };
    }

    const result = await this.deps.ownership.commitBatch({ changes, counters: claimCounters(this.caller, this.pool, this.now, changes.length) });
    if (result.ok) return { ok: true, claimed: changes.map((change) => change.after) };
    if (result.refused === 'counter') throw claimCounterRefused(this.pool, result.counter, result.value, changes.length, this.pool.id, this.now);
    const lost = [...result.profiles].filter(([, current]) => !this.stillWaiting(current)).map(([index]) => changes[index]!.before.id);
    return { ok: false, lost };
  }

  /** The claim of one customer with its book, read now (book-move.ts): open deals to the caller, its last owner's open tasks too. */
  private async change(customer: Customer): Promise<ProfileChange> {
    const change = claimChange(customer, this.caller, this.pool, this.now, this.correlationId);
    const book = await this.deps.ownership.book(customer.tenantId, customer.id);
    return { ...change, book: bookMoveItems(this.deps.ownership.tableName, customer, book, { ownerId: this.caller.userId, teamId: this.caller.teamId ?? null }, this.caller.userId, this.now) };
  }

  /** Still unowned in this pool: what a failed book condition leaves, a race for the customer does not. */
  private stillWaiting(current: Customer | undefined): boolean {
    return current !== undefined && current.ownerId === null && current.poolId === this.pool.id;
  }
}
