import { finishApprovalProcess, type FlowState, type StepOutcome } from '../../shared/approvals/approval-flow-use-cases';
import { approvalFlowDeps } from '../../shared/approvals/wiring';
import { eventHandler } from '../../shared/log-context';

/** The approval flow's Finish task: the process ends and its subject follows, in one commit. */
export const handler = eventHandler(async (input: FlowState & { outcome: StepOutcome }) => finishApprovalProcess(approvalFlowDeps, input));
