import { decisionInput } from '../../shared/approvals/approval-process';
import { decideApproval } from '../../shared/approvals/approval-use-cases';
import { approvalDeps } from '../../shared/approvals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /approvals/{id}/reject: once; rejecting closes the step and ends the process as rejected. */
export const handler = httpHandler({ body: decisionInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { approval } = await decideApproval(approvalDeps, caller, pathParameters.approvalId ?? '', 'rejected', body.comment ?? null, requestId);
  return json(200, approval);
});
