import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * Internal to the approval flow: the open step of a process closed (decided or recalled), and the
 * flow waiting on its task token may go on. Written in the same commit as the decision, so a
 * crash between the decision and the flow's resumption loses nothing (docs/processes.md).
 */
export const processStepClosedV1 = defineEvent(
  'crm.process.step-closed.v1',
  z.object({
    processId: z.string(),
    customerId: z.string(),
    step: z.number(),
    outcome: z.enum(['approved', 'rejected', 'recalled']),
    /** The waiting state's token; useless without states:SendTaskSuccess on the flow, which only the resuming function holds. */
    taskToken: z.string(),
  }),
);

export type ProcessStepClosedV1 = DetailOf<typeof processStepClosedV1>;
