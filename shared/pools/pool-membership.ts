import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import type { Pool } from './pool';

/**
 * Kept apart from pool.ts (whose schemas are built when it loads), so that every read path that
 * checks pool membership stays light to load.
 */
/** Members see the pool and may claim from it; admins always are, so no pool can lock them out. */
export function isPoolMember(caller: Caller, pool: Pick<Pool, 'tenantId' | 'members'>): boolean {
  if (caller.tenantId !== pool.tenantId) return false;
  if (isAdmin(caller)) return true;
  return pool.members.users.includes(caller.userId) || caller.groups.some((group) => pool.members.groups.includes(group));
}
