import type { Caller } from '../access/caller';
import type { Customer } from '../customers/customer';
import { isPoolMember } from './pool-membership';
import type { PoolReader } from './pool-repository';

/**
 * Members of a pool read the customers waiting in it (docs/allocation.md). Asked only after
 * `canRead` said no, so owners, managers and admins never pay for it; a customer outside any
 * pool costs nothing either. Read, never write: `canWrite` knows nothing of pools.
 */
export async function readableThroughPool(pools: PoolReader | undefined, caller: Caller, customer: Pick<Customer, 'tenantId' | 'poolId'>): Promise<boolean> {
  if (!pools || customer.poolId === null || customer.tenantId !== caller.tenantId) return false;
  const pool = await pools.get(caller.tenantId, customer.poolId);
  return pool !== undefined && isPoolMember(caller, pool);
}
