import * as z from 'zod/mini';

/**
 * A customer changed hands (docs/allocation.md). One contract per way it happens, with the same
 * shape, so a consumer subscribes to exactly the changes it cares about. Ids only: who had it,
 * who has it, which pool; consumers that need the customer read it.
 */
export const ownershipChangeFields = {
  customerId: z.string(),
  /** The owner before the change; null when it came from a pool or was unassigned. */
  fromOwnerId: z.nullable(z.string()),
  /** The owner after the change; null when it went to a pool. */
  toOwnerId: z.nullable(z.string()),
  /** The pool it came from (claim) or went to (release, reclaim); null otherwise. */
  poolId: z.nullable(z.string()),
  /** The customer's version after the change. */
  version: z.number(),
};

/** The reclaim policy rule that fell due (reclaimed) or will (reclaim-warning). */
export const reclaimRule = z.enum(['noFollowUpDays', 'noOpenDealDays', 'noWonDealDays']);
