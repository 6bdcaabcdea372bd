import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A customer's order was placed (from an accepted quote, or directly): a purchase (docs/processes.md, "Orders"). */
export const orderPlacedV1 = defineEvent(
  'crm.order.placed.v1',
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    quoteId: z.nullable(z.string()),
    dealId: z.nullable(z.string()),
    ownerId: z.string(),
    currency: z.string(),
    /** The grand total, a decimal string in the currency. */
    total: z.string(),
    lineCount: z.number(),
  }),
);

export type OrderPlacedV1 = DetailOf<typeof orderPlacedV1>;
