import type { Caller } from '../access/caller';
import type { EventContext } from '../outbox/outbox';
import { assertLive, canRead, canWrite, type Customer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { Conflict, CustomerNotFound, type DomainError, Forbidden } from '../errors';
import type { Pool } from '../pools/pool';
import type { CounterChange, OwnershipRepository, OwnershipWrite } from './ownership-repository';

/** What the ownership operations read besides the customer: pools, and a user's team. */
export interface AllocationDirectory {
  pool(tenantId: string, poolId: string): Promise<Pool | undefined>;
  /** Every pool of the tenant (release routes among them). */
  pools(tenantId: string): Promise<Pool[]>;
  /** The team of a user's directory entry; null without an entry or a team. */
  teamOf(tenantId: string, userId: string): Promise<string | null>;
  /** An active user of the tenant's directory, with their team; undefined for an id nobody has or a deactivated user. */
  member(tenantId: string, userId: string): Promise<{ teamId: string | null } | undefined>;
}

/** What the ownership use cases read and write; the service wires the real ones, tests stubs. */
export interface OwnershipDeps {
  customers: Pick<CustomerRepository, 'get'>;
  ownership: Pick<OwnershipRepository, 'commit' | 'counts' | 'book' | 'tableName'>;
  directory: AllocationDirectory;
}

/** What an operation decided for the customer as read: nothing to do, or one write. */
export type OwnershipPlan =
  | { unchanged: Customer }
  | { write: OwnershipWrite; counterRefused: (counter: CounterChange, value: number) => DomainError };

/** A profile that keeps moving under the operation (edits racing it) gives up after this many reads. */
export const MAX_ATTEMPTS = 5;

export const eventContext = (caller: Caller, correlationId: string): EventContext => ({
  tenantId: caller.tenantId,
  actor: { type: 'user', id: caller.userId },
  correlationId,
});

/**
 * Reads the customer, lets `plan` decide on that copy, and commits the plan conditional on the
 * version read. When the profile moved on in between, the failed condition returns the current
 * profile and the plan decides again on that: so a lost race ends in the answer the winner's state
 * gives (409 already claimed, 200 nothing to do...), never in a write based on a stale read.
 */
export async function runOwnershipWrite(
  deps: OwnershipDeps,
  caller: Caller,
  customerId: string,
  plan: (customer: Customer) => Promise<OwnershipPlan>,
): Promise<Customer> {
  let current = await deps.customers.get(caller.tenantId, customerId);
  for (let attempt = 1; ; attempt++) {
    if (!current) throw new CustomerNotFound(customerId);
    assertLive(current);
    const decided = await plan(current);
    if ('unchanged' in decided) return decided.unchanged;
    const result = await deps.ownership.commit(decided.write);
    if (result.ok) return decided.write.after;
    if (result.refused === 'counter') throw decided.counterRefused(result.counter, result.value);
    if (attempt >= MAX_ATTEMPTS) throw new Conflict(`Customer ${customerId} kept changing during the request; send it again`);
    current = result.current;
  }
}

/** The customers' write permission (owner, manager in scope, admin); who may not even read it gets 404. */
export function assertMayWrite(caller: Caller, customer: Customer, what: string): void {
  if (canWrite(caller, customer)) return;
  if (canRead(caller, customer)) throw new Forbidden(`Only the owner, a manager of their team or an admin may ${what} this customer`);
  throw new CustomerNotFound(customer.id);
}

/** Reads a value once per request, however often the plan runs. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}
