import type { ProcessStepClosedV1 } from '../../events/processes/process-step-closed.v1';
import { resumeApprovalFlow } from '../../shared/approvals/approval-flow-use-cases';
import { resumeDeps } from '../../shared/approvals/wiring';
import { eventHandler } from '../../shared/log-context';

/** On crm.process.step-closed.v1: answers the flow's waiting step (SendTaskSuccess). */
export const handler = eventHandler(async (event: { detail: ProcessStepClosedV1 }) => resumeApprovalFlow(resumeDeps, event));
