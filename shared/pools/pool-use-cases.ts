import { poolCreatedV1 } from '../../events/pool-created.v1';
import { poolPolicyChangedV1 } from '../../events/pool-policy-changed.v1';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { clock } from '../clock';
import { Forbidden, StaleVersion } from '../errors';
import { newId } from '../ids';
import { type EventContext, newEvent } from '../outbox/outbox';
import { applyPoolPatch, type CreatePoolInput, isPoolMember, newPool, type Pool, type PoolPatch } from './pool';
import type { PoolCustomerLister, PoolCustomerPage } from './pool-customer-list-repository';
import { parsePoolCustomersQuery } from './pool-customer-query';
import { DefaultPoolRequired, PoolConflict, PoolNotFound } from './pool-errors';
import { DefaultPoolMoved, type PoolRepository } from './pool-repository';

/** Attempts of a write whose default-pool pointer moved under it (a concurrent create or PATCH). */
const DEFAULT_MOVE_ATTEMPTS = 4;

const assertAdmin = (caller: Caller, what: string) => {
  if (!isAdmin(caller)) throw new Forbidden(`Only an admin may ${what}`);
};

/** PATCH /pools/{id} is for admins; the handler asks first, so a non-admin hears 403 before any If-Match complaint. */
export const assertMayChangePools = (caller: Caller) => assertAdmin(caller, 'change pools');

const eventContext = (caller: Caller, correlationId: string | undefined): EventContext => ({
  tenantId: caller.tenantId,
  actor: { type: 'user', id: caller.userId },
  // Callers outside a request (scripts, tests) get an id of their own.
  correlationId: correlationId ?? newId(),
});

/** Reads the pointer, writes; reads again and retries while a concurrent write keeps moving it. */
async function withCurrentDefault<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof DefaultPoolMoved)) throw error;
      if (attempt >= DEFAULT_MOVE_ATTEMPTS) throw new PoolConflict();
    }
  }
}

/**
 * POST /pools: admins only. The tenant's first pool is its default whatever the body says;
 * `isDefault: true` moves the default to the new pool. Both decisions are conditions of the
 * create transaction (the pointer must not exist / must still name the old default), and so is
 * the event's `firstPool`: a retry after a lost pointer race builds the event again.
 */
export async function createPool(repository: PoolRepository, caller: Caller, input: CreatePoolInput, correlationId?: string): Promise<Pool> {
  assertAdmin(caller, 'create pools');
  const id = newId();
  const context = eventContext(caller, correlationId);
  return withCurrentDefault(async () => {
    const currentDefaultId = await repository.defaultPoolId(caller.tenantId);
    const firstPool = currentDefaultId === null;
    const pool = newPool({ ...input, isDefault: input.isDefault === true || firstPool }, caller, id, clock.nowIso());
    const detail = newEvent(poolCreatedV1, context, { poolId: pool.id, policyVersion: pool.policyVersion, isDefault: pool.isDefault, firstPool });
    await repository.create(pool, currentDefaultId, [{ detailType: poolCreatedV1.detailType, detail }]);
    return pool;
  });
}

/** GET /pools: the pools the caller is a member of (admins: all), oldest first. */
export async function listPools(repository: PoolRepository, caller: Caller): Promise<Pool[]> {
  return (await repository.list(caller.tenantId)).filter((pool) => isPoolMember(caller, pool));
}

/** A pool the caller is a member of; any other id answers 404 (unknown and not-yours look the same). */
export async function getPool(repository: Pick<PoolRepository, 'get'>, caller: Caller, poolId: string, consistent = false): Promise<Pool> {
  const pool = await repository.get(caller.tenantId, poolId, consistent);
  if (!pool || !isPoolMember(caller, pool)) throw new PoolNotFound(poolId);
  return pool;
}

/**
 * PATCH /pools/{id}: admins only, JSON Merge Patch at the version the client read (412 when stale). Making
 * the pool the default moves the pointer and unsets the old default in the same transaction;
 * `isDefault: false` on the default pool is refused (409): make another pool the default.
 */
export async function updatePool(
  repository: PoolRepository,
  caller: Caller,
  poolId: string,
  patch: PoolPatch,
  expectedVersion: number,
  correlationId?: string,
): Promise<Pool> {
  assertMayChangePools(caller);
  const context = eventContext(caller, correlationId);
  return withCurrentDefault(async () => {
    const before = await getPool(repository, caller, poolId, true);
    if (before.version !== expectedVersion) throw new StaleVersion('pool', before.version);
    if (patch.isDefault === false && before.isDefault) throw new DefaultPoolRequired(poolId);
    const { after, changed } = applyPoolPatch(before, patch, caller, clock.nowIso());
    if (changed.length === 0) return before;
    const currentDefaultId = after.isDefault && !before.isDefault ? await repository.defaultPoolId(caller.tenantId) : null;
    // A new policy applies from each customer's next check; the event makes the sweep look again at the customers it governs.
    const events = changed.includes('policy')
      ? [{ detailType: poolPolicyChangedV1.detailType, detail: newEvent(poolPolicyChangedV1, context, { poolId, policyVersion: after.policyVersion, isDefault: after.isDefault }) }]
      : [];
    await repository.update(before, after, currentDefaultId, events);
    return after;
  });
}

/** GET /pools/{id}/customers: members only (others get 404), one Query per page. */
export async function listPoolCustomers(
  repos: { pools: Pick<PoolRepository, 'get'>; lister: PoolCustomerLister },
  caller: Caller,
  poolId: string,
  query: Record<string, string | undefined>,
): Promise<PoolCustomerPage> {
  await getPool(repos.pools, caller, poolId);
  return repos.lister.page(caller.tenantId, poolId, parsePoolCustomersQuery(query));
}
