import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A deal was won. Committed with the customer's move to lifecycle stage `customer` (and its
 * `crm.customer.stage-changed.v1`) in one transaction. The reason stays in the table (free text).
 */
export const dealWonV1 = defineEvent(
  'crm.deal.won.v1',
  z.object({
    dealId: z.string(),
    customerId: z.string(),
    pipelineId: z.string(),
    /** The stage it was won from. */
    stageId: z.string(),
    /** Null for a deal whose customer waits in a pool (no owner until someone claims it). */
    ownerId: z.nullable(z.string()),
    amount: z.string(),
    currency: z.string(),
    closedAt: z.iso.datetime(),
    version: z.number(),
  }),
);

export type DealWonV1 = DetailOf<typeof dealWonV1>;
