import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lockCustomer, unlockCustomer } from '../../../shared/allocation/lock-use-cases';
import type { CommitResult, OwnershipWrite, UserCounts } from '../../../shared/allocation/ownership-repository';
import { assignCustomer, claimCustomer, releaseCustomer } from '../../../shared/allocation/ownership-use-cases';
import { type Book, MAX_BOOK_ITEMS } from '../../../shared/allocation/book-move';
import type { Deal } from '../../../shared/deals/deal';
import { newTask, type Task } from '../../../shared/tasks/task';
import type { OwnershipDeps } from '../../../shared/allocation/ownership-write';
import { installTimeSource } from '../../../shared/clock';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import {
  AlreadyClaimed,
  ClaimCooldown,
  ClaimLimitReached,
  Conflict,
  CustomerNotFound,
  Forbidden,
  MaxLockedReached,
  MaxOwnedReached,
  NoPool,
  NotInPool,
  NotOwned,
  ValidationFailed,
} from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { createPoolInput, newPool, type Pool } from '../../../shared/pools/pool';
import { policyInput } from '../pools/policy-fixtures';

const NOW = '2026-03-10T12:00:00.000Z';
const who = (userId: string, groups: Caller['groups'], teamId?: string): Caller => ({ userId, tenantId: 'acme', groups, ...(teamId ? { teamId } : {}) });
const rep = who('rep-1', ['rep'], 'north');
const admin = who('adm-1', ['admin']);

const pool = (id: string, body: Record<string, unknown> = {}): Pool =>
  newPool(createPoolInput.parse({ name: id, members: { users: [], groups: ['rep'] }, policy: policyInput(), ...body }), admin, id, '2026-01-01T00:00:00.000Z');

const customer = (overrides: Partial<Customer> = {}): Customer => ({
  ...newCustomer(createCustomerInput.parse({ name: 'Ada', industry: 'Software', region: 'Berlin' }), who('mgr-1', ['manager']), 'C1', '2026-03-01T09:00:00.000Z'),
  poolId: 'P1',
  homePoolId: 'P1',
  version: 2,
  ...overrides,
});

function deps(current: Customer | undefined, options: { pools?: Pool[]; counts?: Partial<UserCounts>; commits?: CommitResult[]; team?: string | null; book?: Book; strangers?: string[] } = {}) {
  const pools = options.pools ?? [pool('P1', { isDefault: true })];
  const commits = [...(options.commits ?? [])];
  const commit = vi.fn(async (_write: OwnershipWrite): Promise<CommitResult> => commits.shift() ?? { ok: true });
  const d: OwnershipDeps = {
    customers: { get: async () => current },
    ownership: { commit, counts: async () => ({ owned: 0, locked: 0, claimedToday: 0, ...options.counts }), book: async () => options.book ?? { deals: [], tasks: [] }, tableName: 'crm' },
    directory: {
      pool: async (_t, id) => pools.find((p) => p.id === id),
      pools: async () => pools,
      teamOf: async () => options.team ?? null,
      member: async (_t, id) => (options.strangers?.includes(id) ? undefined : { teamId: options.team ?? null }),
    },
  };
  return { deps: d, commit, written: () => commit.mock.calls.map(([w]) => w) };
}

beforeEach(() => installTimeSource(() => Date.parse(NOW)));
afterEach(() => installTimeSource(Date.now));

describe('claimCustomer', () => {
  it('commits the claim conditional on the pool, with both capped counters, history and event', async () => {
    const { deps: d, written } = deps(customer());

    const after = await claimCustomer(d, rep, 'C1', 'req-1');

    expect(after).toMatchObject({ ownerId: 'rep-1', teamId: 'north', poolId: null, homePoolId: 'P1', assignedAt: NOW, reclaimCheckAt: NOW, version: 3 });
    const [write] = written();
    expect(write!.condition).toEqual({ expression: 'ownerId = :noOwner AND poolId = :fromPool', values: { ':noOwner': null, ':fromPool': 'P1' } });
    expect(write!.counters.map((c) => [c.tag, c.key.SK, c.add, c.below])).toEqual([
      ['dailyClaims', 'CLAIMS#2026-03-10', { count: 1 }, { counter: 'count', limit: 20 }],
      ['book', 'BOOK', { owned: 1 }, { counter: 'owned', limit: 200 }],
    ]);
    expect(write!.history).toMatchObject({ from: null, to: 'rep-1', poolId: 'P1', reason: 'claimed', actor: { type: 'user', id: 'rep-1' }, at: NOW });
    expect(write!.events[0]!.detail).toMatchObject({ type: 'crm.customer.claimed.v1', correlationId: 'req-1', data: { customerId: 'C1', fromOwnerId: null, toOwnerId: 'rep-1', poolId: 'P1', version: 3 } });
  });

  it('adds the cooldown to the condition for the previous owner only', async () => {
    const released = customer({ previousOwnerId: 'rep-1', releasedAt: '2026-03-01T00:00:00.000Z' });
    const mine = deps(released);
    await claimCustomer(mine.deps, rep, 'C1', 'r');
    expect(mine.written()[0]!.condition).toEqual({
      expression: 'ownerId = :noOwner AND poolId = :fromPool AND releasedAt <= :cooldownBoundary',
      values: { ':noOwner': null, ':fromPool': 'P1', ':cooldownBoundary': '2026-03-03T12:00:00.000Z' },
    });

    const theirs = deps(released);
    await claimCustomer(theirs.deps, who('rep-2', ['rep']), 'C1', 'r');
    expect(theirs.written()[0]!.condition!.expression).not.toContain('cooldown');
  });

  it('refuses the previous owner within the cooldown, naming when it ends', async () => {
    const { deps: d, commit } = deps(customer({ previousOwnerId: 'rep-1', releasedAt: '2026-03-09T12:00:00.000Z' }));
    const error = await claimCustomer(d, rep, 'C1', 'r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaimCooldown);
    expect((error as ClaimCooldown).extensions).toEqual({ until: '2026-03-16T12:00:00.000Z' });
    expect(commit).not.toHaveBeenCalled();
  });

  it('answers 404 to a non-member, whether the customer is pooled or owned, and 409 to a member who lost', async () => {
    const secret = [pool('P1', { members: { users: ['rep-a'], groups: [] } })];
    await expect(claimCustomer(deps(customer(), { pools: secret }).deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(CustomerNotFound);
    const owned = customer({ ownerId: 'rep-a', poolId: null });
    await expect(claimCustomer(deps(owned, { pools: secret }).deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(CustomerNotFound);
    await expect(claimCustomer(deps(owned).deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(AlreadyClaimed);
  });

  it('re-decides on the state a failed condition returns: a lost race is 409, not a retry', async () => {
    const winner = customer({ ownerId: 'rep-2', poolId: null, version: 3 });
    const { deps: d, commit } = deps(customer(), { commits: [{ ok: false, refused: 'profile', current: winner }] });
    await expect(claimCustomer(d, rep, 'C1', 'r')).rejects.toBeInstanceOf(AlreadyClaimed);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('is a no-op for the owner, and 409 not-in-pool for an unassigned customer its reader may see', async () => {
    const { deps: d, commit } = deps(customer({ ownerId: 'rep-1', poolId: null }));
    expect(await claimCustomer(d, rep, 'C1', 'r')).toMatchObject({ version: 2 });
    expect(commit).not.toHaveBeenCalled();
    const unassigned = customer({ poolId: null, homePoolId: null });
    await expect(claimCustomer(deps(unassigned).deps, who('mgr-1', ['manager']), 'C1', 'r')).rejects.toBeInstanceOf(NotInPool);
    await expect(claimCustomer(deps(unassigned).deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(CustomerNotFound);
  });

  it('refuses past the caps as rate-limited and as a conflict with their numbers, before the write and from a refused counter', async () => {
    const early = await claimCustomer(deps(customer(), { counts: { claimedToday: 20 } }).deps, rep, 'C1', 'r').catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ClaimLimitReached);
    expect((early as ClaimLimitReached).kind).toBe('rate-limited');
    expect((early as ClaimLimitReached).extensions).toEqual({ limit: 20, used: 20, resetsAt: '2026-03-11T00:00:00.000Z', retryAfterSeconds: 43200 });

    const daily = deps(customer());
    daily.commit.mockResolvedValueOnce({ ok: false, refused: 'counter', counter: (await claimWrite()).counters[0]!, value: 20 });
    await expect(claimCustomer(daily.deps, rep, 'C1', 'r')).rejects.toMatchObject({ slug: 'claim-limit-reached', extensions: { limit: 20, used: 20 } });

    const owned = deps(customer());
    owned.commit.mockResolvedValueOnce({ ok: false, refused: 'counter', counter: (await claimWrite()).counters[1]!, value: 200 });
    const error = await claimCustomer(owned.deps, rep, 'C1', 'r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxOwnedReached);
    expect((error as MaxOwnedReached).extensions).toEqual({ limit: 200, owned: 200 });
  });

  it('gives up with 409 when the profile keeps moving', async () => {
    const moving = Array.from({ length: 5 }, (_, i) => ({ ok: false as const, refused: 'profile' as const, current: customer({ version: 3 + i }) }));
    await expect(claimCustomer(deps(customer(), { commits: moving }).deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(Conflict);
  });
});

/** The write a successful claim sends (its counters, for a refusal). */
async function claimWrite(): Promise<OwnershipWrite> {
  const probe = deps(customer());
  await claimCustomer(probe.deps, rep, 'C1', 'r');
  return probe.written()[0]!;
}

describe('releaseCustomer', () => {
  const owned = (overrides: Partial<Customer> = {}) => customer({ ownerId: 'rep-1', teamId: 'north', poolId: null, homePoolId: null, ...overrides });

  it('routes to the most specific pool and decrements the book (locked too when it was locked)', async () => {
    const pools = [pool('P1', { isDefault: true }), pool('P2', { routing: { regions: ['berlin'] } }), pool('P3', { routing: { regions: ['Berlin'], industries: ['software'] } })];
    const { deps: d, written } = deps(owned({ locked: true }), { pools });

    const after = await releaseCustomer(d, rep, 'C1', { reason: 'No budget' }, 'r');

    expect(after).toMatchObject({ ownerId: null, teamId: null, poolId: 'P3', homePoolId: 'P3', previousOwnerId: 'rep-1', releasedAt: NOW, locked: false, reclaimCheckAt: null, assignedAt: null });
    const [write] = written();
    expect(write!.condition).toEqual({ expression: 'ownerId = :owner', values: { ':owner': 'rep-1' } });
    expect(write!.counters.map((c) => [c.key.PK, c.add, c.below])).toEqual([['T#acme#USER#rep-1', { owned: -1, locked: -1 }, undefined]]);
    expect(write!.history).toMatchObject({ from: 'rep-1', to: null, poolId: 'P3', reason: 'released', note: 'No budget' });
    expect(write!.events[0]!.detail).toMatchObject({ type: 'crm.customer.released.v1', data: { fromOwnerId: 'rep-1', toOwnerId: null, poolId: 'P3' } });
    expect(JSON.stringify(write!.events[0]!.detail)).not.toContain('No budget');
  });

  it('takes an explicit pool the caller may use; refuses unknown or foreign pools, and a tenant without pools', async () => {
    const pools = [pool('P1'), pool('SECRET', { members: { users: [], groups: [] } })];
    expect(await releaseCustomer(deps(owned(), { pools }).deps, rep, 'C1', { reason: 'x', poolId: 'P1' }, 'r')).toMatchObject({ poolId: 'P1' });
    await expect(releaseCustomer(deps(owned(), { pools }).deps, rep, 'C1', { reason: 'x', poolId: 'SECRET' }, 'r')).rejects.toBeInstanceOf(ValidationFailed);
    await expect(releaseCustomer(deps(owned(), { pools }).deps, rep, 'C1', { reason: 'x', poolId: 'NOPE' }, 'r')).rejects.toBeInstanceOf(ValidationFailed);
    expect(await releaseCustomer(deps(owned(), { pools }).deps, admin, 'C1', { reason: 'x', poolId: 'SECRET' }, 'r')).toMatchObject({ poolId: 'SECRET' });
    await expect(releaseCustomer(deps(owned(), { pools: [] }).deps, rep, 'C1', { reason: 'x' }, 'r')).rejects.toBeInstanceOf(NoPool);
  });

  it('lets only the owner, their manager or an admin release an owned customer', async () => {
    await expect(releaseCustomer(deps(owned()).deps, who('rep-2', ['rep']), 'C1', { reason: 'x' }, 'r')).rejects.toBeInstanceOf(CustomerNotFound);
    await expect(releaseCustomer(deps(owned()).deps, who('mk-1', ['marketer']), 'C1', { reason: 'x' }, 'r')).rejects.toBeInstanceOf(Forbidden);
    expect(await releaseCustomer(deps(owned()).deps, who('mgr-1', ['manager'], 'north'), 'C1', { reason: 'x' }, 'r')).toMatchObject({ ownerId: null });
    await expect(releaseCustomer(deps(customer()).deps, admin, 'C1', { reason: 'x' }, 'r')).rejects.toBeInstanceOf(NotOwned);
  });
});

describe('assignCustomer', () => {
  it("transfers: the old owner's book -1 (locked too), the new owner's +1 uncapped, team from the directory", async () => {
    const { deps: d, written } = deps(customer({ ownerId: 'rep-1', teamId: 'north', poolId: null, locked: true }), { team: 'south' });

    const after = await assignCustomer(d, admin, 'C1', { ownerId: 'rep-2' }, 'r');

    expect(after).toMatchObject({ ownerId: 'rep-2', teamId: 'south', locked: false, assignedAt: NOW, reclaimCheckAt: NOW, homePoolId: 'P1' });
    const [write] = written();
    expect(write!.condition).toBeUndefined();
    expect(write!.counters.map((c) => [c.key.PK, c.add, c.below])).toEqual([
      ['T#acme#USER#rep-1', { owned: -1, locked: -1 }, undefined],
      ['T#acme#USER#rep-2', { owned: 1 }, undefined],
    ]);
    expect(write!.history).toMatchObject({ from: 'rep-1', to: 'rep-2', reason: 'assigned', poolId: null });
  });

  it('assigns out of a pool (which stays the home pool), is a no-op to the owner, and is for managers in scope and admins', async () => {
    const { deps: d, written } = deps(customer({ homePoolId: null }));
    expect(await assignCustomer(d, who('mgr-1', ['manager']), 'C1', { ownerId: 'rep-1' }, 'r')).toMatchObject({ ownerId: 'rep-1', poolId: null, homePoolId: 'P1' });
    expect(written()[0]!.events[0]!.detail).toMatchObject({ data: { fromOwnerId: null, toOwnerId: 'rep-1', poolId: 'P1' } });

    const mine = deps(customer({ ownerId: 'rep-1', teamId: 'north', poolId: null }));
    expect(await assignCustomer(mine.deps, admin, 'C1', { ownerId: 'rep-1' }, 'r')).toMatchObject({ version: 2 });
    expect(mine.commit).not.toHaveBeenCalled();
    await expect(assignCustomer(mine.deps, who('mgr-2', ['manager'], 'south'), 'C1', { ownerId: 'rep-2' }, 'r')).rejects.toBeInstanceOf(CustomerNotFound);
    await expect(assignCustomer(mine.deps, rep, 'C1', { ownerId: 'rep-2' }, 'r')).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('the book moves with the customer', () => {
  const deal = (id: string, status: Deal['status'], ownerId: string) =>
    ({ id, tenantId: 'acme', customerId: 'C1', pipelineId: 'PL', stageId: 's1', status, name: id, amountMinor: 100, currency: 'EUR', expectedCloseDate: '2026-04-30', ownerId, teamId: 'north', closedAt: null, closeReason: null, createdAt: NOW, createdBy: 'x', updatedAt: NOW, updatedBy: 'x', version: 3 }) as Deal;
  const task = (id: string, assigneeId: string, status: Task['status'] = 'open') => ({ ...newTask({ title: id, type: 'call', dueAt: NOW }, { customerId: 'C1', dealId: null, leadId: null }, assigneeId, rep, id, NOW), status });

  it("moves the open deals and the previous owner's open tasks to the new owner, each at the version read; closed deals and others' tasks stay", async () => {
    const book = { deals: [deal('D1', 'open', 'rep-1'), deal('D2', 'won', 'rep-1')], tasks: [task('T1', 'rep-1'), task('T2', 'mgr-1'), task('T3', 'rep-1', 'done')] };
    const { deps: d, written } = deps(customer({ ownerId: 'rep-1', teamId: 'north', poolId: null }), { team: 'south', book });

    await assignCustomer(d, admin, 'C1', { ownerId: 'rep-2' }, 'r');

    const moved = written()[0]!.book!;
    expect(moved.map((i) => [i.put!.Item!.SK, i.put!.Item!.ownerId ?? i.put!.Item!.assigneeId, i.put!.Item!.version, i.put!.ExpressionAttributeValues![':read']])).toEqual([
      ['DEAL#D1', 'rep-2', 4, 3],
      ['TASK#T1', 'rep-2', 2, 1],
    ]);
    expect(moved[0]!.put!.Item).toMatchObject({ teamId: 'south', GSI5PK: 'T#acme#DEALOWNER#rep-2#open' });
    expect(moved[1]!.put!.Item).toMatchObject({ GSI1PK: 'T#acme#TASKS#rep-2#OPEN' });
  });

  it('goes to whoever claims a pooled customer', async () => {
    const book = { deals: [deal('D1', 'open', 'rep-9')], tasks: [] };
    const { deps: d, written } = deps(customer(), { book });
    await claimCustomer(d, rep, 'C1', 'r');
    expect(written()[0]!.book!.map((i) => i.put!.Item!.ownerId)).toEqual(['rep-1']);
  });

  it('answers 409 transfer-conflict when the owner is no longer the one the caller saw, writing nothing', async () => {
    const { deps: d, commit } = deps(customer({ ownerId: 'rep-3', teamId: 'south', poolId: null }));
    await expect(assignCustomer(d, admin, 'C1', { ownerId: 'rep-2', fromOwnerId: 'rep-1' }, 'r')).rejects.toMatchObject({ slug: 'transfer-conflict' });
    expect(commit).not.toHaveBeenCalled();
  });

  it('refuses an assignee the directory does not know (400 at ownerId), and a book too large for one transaction (409)', async () => {
    const owned = customer({ ownerId: 'rep-1', teamId: 'north', poolId: null });
    await expect(assignCustomer(deps(owned, { strangers: ['typo'] }).deps, admin, 'C1', { ownerId: 'typo' }, 'r')).rejects.toMatchObject({ errors: [{ path: 'ownerId' }] });
    const huge = { deals: Array.from({ length: MAX_BOOK_ITEMS + 1 }, (_, i) => deal(`D${i}`, 'open', 'rep-1')), tasks: [] };
    await expect(assignCustomer(deps(owned, { book: huge }).deps, admin, 'C1', { ownerId: 'rep-2' }, 'r')).rejects.toBeInstanceOf(Conflict);
  });
});

describe('lockCustomer and unlockCustomer', () => {
  const owned = (overrides: Partial<Customer> = {}) => customer({ ownerId: 'rep-1', teamId: 'north', poolId: null, reclaimCheckAt: '2026-03-05T00:00:00.000Z', ...overrides });

  it("locks within the home pool's cap, keeping the reclaim check time; no home pool, no cap", async () => {
    const { deps: d, written } = deps(owned());
    expect(await lockCustomer(d, rep, 'C1', 'r')).toMatchObject({ locked: true, reclaimCheckAt: '2026-03-05T00:00:00.000Z', version: 3 });
    expect(written()[0]!.counters.map((c) => [c.add, c.below])).toEqual([[{ locked: 1 }, { counter: 'locked', limit: 10 }]]);
    expect(written()[0]!.fields).not.toContain('warnedCycle');
    expect(written()[0]!.events[0]!.detail).toMatchObject({ type: 'crm.customer.updated.v1', data: { changedFields: ['locked'], version: 3 } });

    const homeless = deps(owned({ homePoolId: null }));
    await lockCustomer(homeless.deps, rep, 'C1', 'r');
    expect(homeless.written()[0]!.counters[0]!.below).toBeUndefined();
  });

  it('refuses at the cap (before and at the write), an unowned customer, and is a no-op when locked', async () => {
    await expect(lockCustomer(deps(owned(), { counts: { locked: 10 } }).deps, rep, 'C1', 'r')).rejects.toMatchObject({ slug: 'max-locked', extensions: { limit: 10, locked: 10 } });
    const racing = deps(owned());
    racing.commit.mockImplementationOnce(async (w) => ({ ok: false, refused: 'counter', counter: w.counters[0]!, value: 10 }));
    await expect(lockCustomer(racing.deps, rep, 'C1', 'r')).rejects.toBeInstanceOf(MaxLockedReached);
    await expect(lockCustomer(deps(customer()).deps, admin, 'C1', 'r')).rejects.toBeInstanceOf(NotOwned);
    const locked = deps(owned({ locked: true }));
    expect(await lockCustomer(locked.deps, rep, 'C1', 'r')).toMatchObject({ version: 2 });
    expect(locked.commit).not.toHaveBeenCalled();
  });

  it('unlocks with the counter -1 and a reclaim check now; unlocking an unlocked customer changes nothing', async () => {
    const { deps: d, written } = deps(owned({ locked: true }));
    expect(await unlockCustomer(d, rep, 'C1', 'r')).toMatchObject({ locked: false, reclaimCheckAt: NOW });
    expect(written()[0]!.counters.map((c) => [c.add, c.below])).toEqual([[{ locked: -1 }, undefined]]);
    const open = deps(owned());
    expect(await unlockCustomer(open.deps, rep, 'C1', 'r')).toMatchObject({ version: 2 });
    expect(open.commit).not.toHaveBeenCalled();
    await expect(unlockCustomer(deps(owned({ locked: true })).deps, who('rep-2', ['rep']), 'C1', 'r')).rejects.toBeInstanceOf(CustomerNotFound);
  });
});
