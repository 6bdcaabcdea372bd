import { customerAssignedV1 } from '../../events/customer-assigned.v1';
import { customerReleasedV1 } from '../../events/customer-released.v1';
import type { Caller } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import { clock } from '../clock';
import { canRead, type Customer, inManagersScope } from '../customers/customer';
import { AlreadyClaimed, Conflict, TransferConflict, CustomerNotFound, Forbidden, NoPool, NotInPool, NotOwned, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import { checkClaim, claimDay } from './claim-rules';
import { isPoolMember, type Pool, routePool } from '../pools/pool';
import type { AssignCustomerInput, ReleaseCustomerInput } from './ownership-inputs';
import { claimChange, claimCounterRefused, claimCounters, claimRefused } from './claim-write';
import { assigned, OWNER_CHANGE_FIELDS, ownershipChange, released } from './ownership';
import { bookMoveItems, MAX_BOOK_ITEMS } from './book-move';
import { bookCounter, leavingBook } from './user-counters';
import { assertMayWrite, eventContext, once, type OwnershipDeps, runOwnershipWrite } from './ownership-write';

/**
 * POST /customers/{id}/claim: a member of the customer's pool takes it. The checks here give the
 * refusal with its numbers; the transaction's conditions (profile still unowned in that pool at
 * the version read, cooldown, daily and owned counters below their caps) are what make 50
 * concurrent claims end in one owner and the caps hold exactly.
 */
export async function claimCustomer(deps: OwnershipDeps, caller: Caller, customerId: string, correlationId: string): Promise<Customer> {
  const now = clock.nowIso();
  const day = claimDay(now);
  const pools = new Map<string, () => Promise<Pool | undefined>>();
  const poolOf = (poolId: string) => {
    if (!pools.has(poolId)) pools.set(poolId, once(() => deps.directory.pool(caller.tenantId, poolId)));
    return pools.get(poolId)!();
  };
  const counts = once(() => deps.ownership.counts(caller.tenantId, caller.userId, day));

  return runOwnershipWrite(deps, caller, customerId, async (customer) => {
    if (customer.ownerId === caller.userId) return { unchanged: customer };
    const poolId = customer.poolId ?? customer.homePoolId;
    const pool = poolId ? await poolOf(poolId) : undefined;
    const member = pool !== undefined && isPoolMember(caller, pool);
    if (customer.ownerId !== null) {
      // Members saw it in their pool a moment ago: tell them they lost; nobody else learns it exists.
      if (member || canRead(caller, customer)) throw new AlreadyClaimed(customer.id);
      throw new CustomerNotFound(customer.id);
    }
    if (customer.poolId === null || pool === undefined) {
      if (canRead(caller, customer)) throw new NotInPool(`Customer ${customer.id} is in no pool: a manager assigns it`);
      throw new CustomerNotFound(customer.id);
    }
    const { owned, claimedToday } = await counts();
    const check = checkClaim({ caller, pool, claimedToday, ownedCount: owned, customer, now });
    if (!check.ok) throw claimRefused(check, customer.id, now);

    const change = claimChange(customer, caller, pool, now, correlationId);
    const book = await movingBook(deps, customer, { ownerId: caller.userId, teamId: caller.teamId ?? null }, caller, now);
    return {
      write: { ...change, counters: claimCounters(caller, pool, now, 1), book },
      counterRefused: (counter, value) => claimCounterRefused(pool, counter, value, 1, customer.id, now),
    };
  });
}

const distributes = (caller: Caller) => overseesReps(caller);

/**
 * Where a released customer goes: the pool asked for (which must exist and, for a rep, be one of
 * their pools), else the most specific pool its industry and region match, else the default pool.
 */
async function releaseTarget(deps: OwnershipDeps, caller: Caller, customer: Customer, poolId: string | undefined): Promise<Pool> {
  if (poolId !== undefined) {
    const pool = await deps.directory.pool(caller.tenantId, poolId);
    if (!pool || !(distributes(caller) || isPoolMember(caller, pool))) {
      throw new ValidationFailed([{ path: 'poolId', message: 'No such pool among the pools you may release to' }]);
    }
    return pool;
  }
  const routed = routePool(await deps.directory.pools(caller.tenantId), { industry: customer.industry, region: customer.region });
  if (!routed) throw new NoPool('The tenant has no pool to release the customer into; an admin creates one first');
  return routed;
}

/** POST /customers/{id}/release: the owner (or their manager, an admin) puts the customer into a pool. */
export async function releaseCustomer(
  deps: OwnershipDeps,
  caller: Caller,
  customerId: string,
  input: ReleaseCustomerInput,
  correlationId: string,
  /** The owner the caller decided on (a book hand-over): another owner by now is a 409 `transfer-conflict`. */
  expectedOwnerId?: string,
): Promise<Customer> {
  const now = clock.nowIso();
  let target: Promise<Pool> | undefined;
  return runOwnershipWrite(deps, caller, customerId, async (customer) => {
    assertMayWrite(caller, customer, 'release');
    const ownerId = customer.ownerId;
    if (expectedOwnerId !== undefined && ownerId !== expectedOwnerId) throw new TransferConflict(customer.id, ownerId);
    if (ownerId === null) throw new NotOwned(`Customer ${customer.id} has no owner to release it`);
    const pool = await (target ??= releaseTarget(deps, caller, customer, input.poolId));
    const after = released(customer, caller, pool.id, now);
    const book = await movingBook(deps, customer, { ownerId: null, teamId: null }, caller, now);
    return {
      write: {
        before: customer,
        after,
        book,
        fields: OWNER_CHANGE_FIELDS,
        condition: { expression: 'ownerId = :owner', values: { ':owner': ownerId } },
        counters: [leavingBook(customer)!],
        history: ownershipChange(customer, after, 'released', caller, newId(), { poolId: pool.id, note: input.reason }),
        events: [
          {
            detailType: customerReleasedV1.detailType,
            detail: newEvent(customerReleasedV1, eventContext(caller, correlationId), {
              customerId: customer.id,
              fromOwnerId: ownerId,
              toOwnerId: null,
              poolId: pool.id,
              version: after.version,
            }),
          },
        ],
      },
      counterRefused: () => new Conflict('Unexpected counter refusal'),
    };
  });
}

/**
 * POST /customers/{id}/assign: a manager (their team's or an unowned customer) or an admin gives
 * the customer to a user; of an owned customer that is a transfer. The new owner's team comes from
 * the user directory. No cap applies: a manager deciding is not a rep grabbing.
 */
export async function assignCustomer(
  deps: OwnershipDeps,
  caller: Caller,
  customerId: string,
  input: AssignCustomerInput,
  correlationId: string,
): Promise<Customer> {
  const now = clock.nowIso();
  const assignee = once(() => deps.directory.member(caller.tenantId, input.ownerId));
  let readOwner: { id: string | null } | undefined;
  return runOwnershipWrite(deps, caller, customerId, async (customer) => {
    if (!(isAdmin(caller) || inManagersScope(caller, customer))) {
      if (canRead(caller, customer)) throw new Forbidden("Only an admin, or a manager for their team's and unowned customers, may assign");
      throw new CustomerNotFound(customer.id);
    }
    // A typo or a stranger would take the customer out of everyone's sight but an admin's.
    const user = await assignee();
    if (!user) throw new ValidationFailed([{ path: 'ownerId', message: 'Not an active user of this tenant (see GET /users; invite them with POST /users)' }]);
    if (customer.ownerId === input.ownerId) return { unchanged: customer };
    // Two transfers at once: the one that commits first wins; the other, finding another owner
    // than the one it decided on, answers 409 instead of moving the customer on again.
    // With `fromOwnerId` the caller says whose customer it decided to move: the same, however late
    // its request runs.
    readOwner ??= { id: input.fromOwnerId === undefined ? customer.ownerId : input.fromOwnerId };
    if (customer.ownerId !== readOwner.id) throw new TransferConflict(customer.id, customer.ownerId);
    const after = assigned(customer, caller, input.ownerId, user.teamId, now);
    const previous = customer.ownerId;
    const book = await movingBook(deps, customer, { ownerId: input.ownerId, teamId: user.teamId }, caller, now);
    return {
      write: {
        before: customer,
        after,
        book,
        fields: OWNER_CHANGE_FIELDS,
        counters: [
          ...[leavingBook(customer, 'previousOwnerBook')].filter((c) => c !== undefined),
          bookCounter(caller.tenantId, input.ownerId, { owned: 1 }),
        ],
        history: ownershipChange(customer, after, 'assigned', caller, newId(), { poolId: customer.poolId }),
        events: [
          {
            detailType: customerAssignedV1.detailType,
            detail: newEvent(customerAssignedV1, eventContext(caller, correlationId), {
              customerId: customer.id,
              fromOwnerId: previous,
              toOwnerId: input.ownerId,
              poolId: customer.poolId,
              version: after.version,
            }),
          },
        ],
      },
      counterRefused: () => new Conflict('Unexpected counter refusal'),
    };
  });
}

/**
 * The open deals and tasks that change hands with the customer, as conditional Puts for the
 * operation's transaction (book-move.ts). Read again on every attempt, since a retry follows a
 * change of the profile or of one of them.
 */
async function movingBook(deps: OwnershipDeps, customer: Customer, to: { ownerId: string | null; teamId: string | null }, caller: Caller, nowIso: string) {
  const book = await deps.ownership.book(customer.tenantId, customer.id);
  const items = bookMoveItems(deps.ownership.tableName, customer, book, to, caller.userId, nowIso);
  if (items.length > MAX_BOOK_ITEMS) {
    throw new Conflict(`Customer ${customer.id} has ${items.length} open deals and tasks to move, more than one change of owner carries (${MAX_BOOK_ITEMS}); close some first`);
  }
  return items;
}
