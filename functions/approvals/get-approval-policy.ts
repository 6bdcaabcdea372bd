import { parseApprovalKind } from '../../shared/approvals/approval-policy';
import { getApprovalPolicy } from '../../shared/approvals/approval-use-cases';
import { approvalDeps } from '../../shared/approvals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /approval-policies/{kind}: the tenant's, or the built-in default (version 0). */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const policy = await getApprovalPolicy(approvalDeps, caller, parseApprovalKind(pathParameters.kind));
  return json(200, policy, { etag: `"${policy.version}"` });
});
