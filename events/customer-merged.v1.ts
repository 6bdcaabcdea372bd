import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * One customer was merged into another: the source is now a tombstone pointing at the survivor,
 * which holds the source's contacts, activities, deals and emails/phones. Ids, counts and field
 * names only: consumers that need values read the survivor, so no personal data rides the bus.
 */
export const customerMergedV1 = defineEvent(
  'crm.customer.merged.v1',
  z.object({
    survivorId: z.string(),
    sourceId: z.string(),
    /** The survivor's version after the merge. */
    version: z.number(),
    /** The survivor's fields the merge changed (names, not values). */
    changedFields: z.array(z.string()),
    /** How many of the source's emails, phones and domain the survivor took over (their guards now name it). */
    movedGuards: z.number(),
    /** Kinds of source values the survivor did not take and that were released (a company keeps its own domain). */
    releasedFields: z.array(z.enum(['email', 'phone', 'domain'])),
  }),
);

export type CustomerMergedV1 = DetailOf<typeof customerMergedV1>;
