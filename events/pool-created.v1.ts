import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * An admin created a public pool (docs/allocation.md). Ids, numbers and flags only: a pool's name,
 * members and routing are read from the pool by whoever needs them. `firstPool` says the tenant
 * had no pool before, so customers whose reclaim check was dropped for lack of a pool (outcome
 * `no-pool`) must be scheduled again; the reschedule rule matches on it.
 */
export const poolCreatedV1 = defineEvent(
  'crm.pool.created.v1',
  z.object({
    poolId: z.string().check(z.minLength(1)),
    policyVersion: z.number(),
    isDefault: z.boolean(),
    firstPool: z.boolean(),
  }),
);

export type PoolCreatedV1 = DetailOf<typeof poolCreatedV1>;
