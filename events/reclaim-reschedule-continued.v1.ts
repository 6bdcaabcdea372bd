import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * The reschedule pass that a pool event started (crm.pool.created.v1 for a tenant's first pool,
 * crm.pool.policy-changed.v1) ran low on Lambda time before it had looked at all of the tenant's
 * customers: it hands the rest to a new invocation through the outbox. Internal to the reclaim
 * scheduling (actor `system:reclaim`); ids and times only, no personal data.
 */
export const reclaimRescheduleContinuedV1 = defineEvent(
  'crm.reclaim.reschedule-continued.v1',
  z.object({
    trigger: z.enum(['first-pool', 'policy-changed']),
    poolId: z.string().check(z.minLength(1)),
    policyVersion: z.number(),
    /** The tenant-list (GSI4) sort key of the last customer looked at, `<updatedAt>#<customerId>`: the pass goes on after it. */
    after: z.string().check(z.minLength(1)),
    /** The pool event that started the pass. */
    originEventId: z.string().check(z.minLength(1)),
    /** Invocations of the pass before this one. */
    invocations: z.int().check(z.minimum(1)),
  }),
);

export type ReclaimRescheduleContinuedV1 = DetailOf<typeof reclaimRescheduleContinuedV1>;
