import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';
import { slaPolicyInput, slaPolicyView } from '../../shared/sla/sla-policies';
import { putSlaPolicy } from '../../shared/sla/sla-policy-use-cases';
import { slaPolicyDeps } from '../../shared/sla/wiring';

/** PUT /sla-policies/{policyId}: admins and managers create (201) or replace (200) a policy; If-Match optional. */
export const handler = httpHandler({ body: slaPolicyInput }, async ({ caller, body, pathParameters, headers }) => {
  const { policy, created } = await putSlaPolicy(slaPolicyDeps, caller, pathParameters.policyId ?? '', body, optionalVersionFromIfMatch(headers['if-match']));
  return json(created ? 201 : 200, slaPolicyView(policy), { etag: `"${policy.version}"`, ...(created ? { location: `/sla-policies/${policy.id}` } : {}) });
});
