import { approvalPolicyInput, parseApprovalKind } from '../../shared/approvals/approval-policy';
import { putApprovalPolicy } from '../../shared/approvals/approval-use-cases';
import { approvalDeps } from '../../shared/approvals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';

/** PUT /approval-policies/{kind}: admins replace the policy (If-Match optional). */
export const handler = httpHandler({ body: approvalPolicyInput }, async ({ caller, body, pathParameters, headers }) => {
  const policy = await putApprovalPolicy(approvalDeps, caller, parseApprovalKind(pathParameters.kind), body, optionalVersionFromIfMatch(headers['if-match']));
  return json(200, policy, { etag: `"${policy.version}"` });
});
