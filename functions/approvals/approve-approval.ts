import { decisionInput } from '../../shared/approvals/approval-process';
import { decideApproval } from '../../shared/approvals/approval-use-cases';
import { approvalDeps } from '../../shared/approvals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /approvals/{id}/approve: once; a second click, or another approver's after the step closed, gets 409. */
export const handler = httpHandler({ body: decisionInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { approval } = await decideApproval(approvalDeps, caller, pathParameters.approvalId ?? '', 'approved', body.comment ?? null, requestId);
  return json(200, approval);
});
