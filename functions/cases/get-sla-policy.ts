import { httpHandler, json } from '../../shared/http/http-handler';
import { slaPolicyView } from '../../shared/sla/sla-policies';
import { getSlaPolicy } from '../../shared/sla/sla-policy-use-cases';
import { slaPolicyDeps } from '../../shared/sla/wiring';

/** GET /sla-policies/{policyId}. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const policy = await getSlaPolicy(slaPolicyDeps, caller, pathParameters.policyId ?? '');
  return json(200, slaPolicyView(policy), { etag: `"${policy.version}"` });
});
