import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A deal was opened for a customer (docs/pipeline.md). Ids, stage and money only: the deal's name
 * is free text and stays in the table; consumers that need it read the deal.
 */
export const dealCreatedV1 = defineEvent(
  'crm.deal.created.v1',
  z.object({
    dealId: z.string(),
    customerId: z.string(),
    pipelineId: z.string(),
    stageId: z.string(),
    /** Null for a deal whose customer waits in a pool (no owner until someone claims it). */
    ownerId: z.nullable(z.string()),
    /** Decimal string, e.g. "1234.50" (no float drift). */
    amount: z.string(),
    currency: z.string(),
    expectedCloseDate: z.string(),
  }),
);

export type DealCreatedV1 = DetailOf<typeof dealCreatedV1>;
