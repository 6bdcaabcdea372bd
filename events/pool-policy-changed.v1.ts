import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A pool's reclaim policy was replaced (`PATCH /pools/{id}` with a different `policy`), so its
 * `policyVersion` moved. The policy itself is not copied onto the bus: consumers read the pool,
 * and an event older than the pool's current `policyVersion` is superseded by a later one.
 */
export const poolPolicyChangedV1 = defineEvent(
  'crm.pool.policy-changed.v1',
  z.object({
    poolId: z.string().check(z.minLength(1)),
    /** The new policy version (the previous one is this minus one). */
    policyVersion: z.number(),
    isDefault: z.boolean(),
  }),
);

export type PoolPolicyChangedV1 = DetailOf<typeof poolPolicyChangedV1>;
