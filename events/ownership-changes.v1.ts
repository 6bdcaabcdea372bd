import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A customer changed hands (docs/allocation.md). One contract per way it happens, with the same
 * shape, so a consumer subscribes to exactly the changes it cares about. Ids only: who had it,
 * who has it, which pool; consumers that need the customer read it.
 */
const ownershipChange = {
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

export const customerClaimedV1 = defineEvent('crm.customer.claimed.v1', z.object(ownershipChange));
/** The rep's reason stays in the ownership history (it is free text and may name people); the bus gets ids only. */
export const customerReleasedV1 = defineEvent('crm.customer.released.v1', z.object(ownershipChange));
export const customerAssignedV1 = defineEvent('crm.customer.assigned.v1', z.object(ownershipChange));
export const customerReclaimedV1 = defineEvent(
  'crm.customer.reclaimed.v1',
  z.object({
    ...ownershipChange,
    /** The policy rule that fell due, and its N for this customer's level. */
    rule: z.enum(['noFollowUpDays', 'noOpenDealDays', 'noWonDealDays']),
    days: z.number(),
    policyVersion: z.number(),
  }),
);

/** The owner is told a customer will be reclaimed at `reclaimAt` unless they follow up. Sent once per cycle. */
export const customerReclaimWarningV1 = defineEvent(
  'crm.customer.reclaim-warning.v1',
  z.object({
    customerId: z.string(),
    ownerId: z.string(),
    reclaimAt: z.iso.datetime(),
    rule: z.enum(['noFollowUpDays', 'noOpenDealDays', 'noWonDealDays']),
    days: z.number(),
    cycle: z.string(),
  }),
);

export type CustomerClaimedV1 = DetailOf<typeof customerClaimedV1>;
export type CustomerReleasedV1 = DetailOf<typeof customerReleasedV1>;
export type CustomerAssignedV1 = DetailOf<typeof customerAssignedV1>;
export type CustomerReclaimedV1 = DetailOf<typeof customerReclaimedV1>;
export type CustomerReclaimWarningV1 = DetailOf<typeof customerReclaimWarningV1>;
