import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { APPROVAL_KINDS, STEP_MODES } from '../../shared/approvals/approval-policy';

/**
 * An approval process started: its resolved chain. The bus starts the approval flow with it, so
 * a crash between the request's commit and the flow's start loses nothing (docs/processes.md).
 */
export const processStartedV1 = defineEvent(
  'crm.process.started.v1',
  z.object({
    processId: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    customerId: z.string(),
    /** `summary` is what the approvers' inboxes show: a number, a total and the discount, never a name. */
    subject: z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number(), summary: z.string() }),
    requesterId: z.string(),
    rule: z.string(),
    steps: z.array(z.object({ name: z.string(), mode: z.enum(STEP_MODES), approverIds: z.array(z.string()), timeLimitHours: z.nullable(z.number()) })),
    stepCount: z.number(),
  }),
);

export type ProcessStartedV1 = DetailOf<typeof processStartedV1>;
export type StartedProcess = ProcessStartedV1['data'];
