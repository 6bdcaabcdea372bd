import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { OutboxEvent } from '../customers/customer-repository';
import { Conflict, MaxLockedReached, NotOwned } from '../errors';
import { newEvent } from '../outbox/outbox';
import { checkLock, lockCondition, lockRefusalMessage } from './claim-rules';
import { LOCK_FIELDS, withLock } from './ownership';
import { bookCounter } from './user-counters';
import { assertMayWrite, eventContext, type OwnershipDeps, runOwnershipWrite } from './ownership-write';

/** A lock is a change of the record (not of its owner): consumers hear of it as an update. */
function lockEvent(caller: Caller, correlationId: string, after: Customer): OutboxEvent {
  return {
    detailType: customerUpdatedV1.detailType,
    detail: newEvent(customerUpdatedV1, eventContext(caller, correlationId), { customerId: after.id, changedFields: ['locked'], version: after.version }),
  };
}

/**
 * POST /customers/{id}/lock: the owner (their manager, an admin) keeps the customer from being
 * reclaimed. The owner's locked counter is capped by the home pool's `maxLockedPerRep` in the same
 * transaction (a customer without a home pool has no policy, so no cap). Locking a locked
 * customer changes nothing.
 */
export async function lockCustomer(deps: OwnershipDeps, caller: Caller, customerId: string, correlationId: string): Promise<Customer> {
  const now = clock.nowIso();
  return runOwnershipWrite(deps, caller, customerId, async (customer) => {
    assertMayWrite(caller, customer, 'lock');
    const ownerId = customer.ownerId;
    if (ownerId === null) throw new NotOwned(lockRefusalMessage({ reason: 'not-owned' }));
    if (customer.locked) return { unchanged: customer };
    const [pool, counts] = await Promise.all([
      customer.homePoolId ? deps.directory.pool(caller.tenantId, customer.homePoolId) : undefined,
      deps.ownership.counts(caller.tenantId, ownerId),
    ]);
    if (pool) {
      const check = checkLock({ customer, policy: pool.policy, lockedCount: counts.locked });
      if (!check.ok) throw check.reason === 'max-locked' ? new MaxLockedReached(lockRefusalMessage(check), check.limit, check.locked) : new NotOwned(lockRefusalMessage(check));
    }
    const after = withLock(customer, caller, true, now);
    const limit = pool ? lockCondition(pool.policy) : undefined;
    return {
      write: {
        before: customer,
        after,
        fields: LOCK_FIELDS,
        condition: { expression: 'ownerId = :owner', values: { ':owner': ownerId } },
        counters: [bookCounter(caller.tenantId, ownerId, { locked: 1 }, limit === undefined ? undefined : { counter: 'locked', limit })],
        events: [lockEvent(caller, correlationId, after)],
      },
      counterRefused: (_counter, value) =>
        limit === undefined ? new Conflict('Unexpected counter refusal') : new MaxLockedReached(lockRefusalMessage({ reason: 'max-locked', limit, locked: value }), limit, value),
    };
  });
}

/** POST /customers/{id}/unlock: the reclaim rules apply again from the next check, which is now. */
export async function unlockCustomer(deps: OwnershipDeps, caller: Caller, customerId: string, correlationId: string): Promise<Customer> {
  const now = clock.nowIso();
  return runOwnershipWrite(deps, caller, customerId, async (customer) => {
    assertMayWrite(caller, customer, 'unlock');
    const ownerId = customer.ownerId;
    if (!customer.locked || ownerId === null) return { unchanged: customer };
    const after = withLock(customer, caller, false, now);
    return {
      write: {
        before: customer,
        after,
        fields: LOCK_FIELDS,
        condition: { expression: 'ownerId = :owner', values: { ':owner': ownerId } },
        counters: [bookCounter(caller.tenantId, ownerId, { locked: -1 })],
        events: [lockEvent(caller, correlationId, after)],
      },
      counterRefused: () => new Conflict('Unexpected counter refusal'),
    };
  });
}
