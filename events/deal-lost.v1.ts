import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/** A deal was lost. The reason stays in the table (free text may name people). */
export const dealLostV1 = defineEvent(
  'crm.deal.lost.v1',
  z.object({
    dealId: z.string(),
    customerId: z.string(),
    pipelineId: z.string(),
    /** The stage it was lost from. */
    stageId: z.string(),
    /** Null for a deal whose customer waits in a pool (no owner until someone claims it). */
    ownerId: z.nullable(z.string()),
    amount: z.string(),
    currency: z.string(),
    closedAt: z.iso.datetime(),
    version: z.number(),
  }),
);

export type DealLostV1 = DetailOf<typeof dealLostV1>;
