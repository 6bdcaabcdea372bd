import { type FlowState, openApprovalStep } from '../../shared/approvals/approval-flow-use-cases';
import { approvalFlowDeps } from '../../shared/approvals/wiring';
import { eventHandler } from '../../shared/log-context';

/** The approval flow's OpenStep task (.waitForTaskToken): opens the step's approvals and parks the token on the process. */
export const handler = eventHandler(async (input: FlowState & { step: number; taskToken: string }) => {
  await openApprovalStep(approvalFlowDeps, input);
});
