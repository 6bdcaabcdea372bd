import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * An open deal moved to another stage of its pipeline, or a closed deal was reopened
 * (`fromStatus` won or lost). Closing is its own event (won, lost).
 */
export const dealStageChangedV1 = defineEvent(
  'crm.deal.stage-changed.v1',
  z.object({
    dealId: z.string(),
    customerId: z.string(),
    pipelineId: z.string(),
    fromStageId: z.string(),
    toStageId: z.string(),
    /** open for a move; won or lost for a reopen. */
    fromStatus: z.enum(['open', 'won', 'lost']),
    /** The new stage's win probability in percent. */
    probability: z.number(),
    /** Null for a deal whose customer waits in a pool (no owner until someone claims it). */
    ownerId: z.nullable(z.string()),
    version: z.number(),
  }),
);

export type DealStageChangedV1 = DetailOf<typeof dealStageChangedV1>;
