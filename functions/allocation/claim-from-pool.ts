import { claimFromPoolInput } from '../../shared/allocation/ownership-inputs';
import { poolClaimDeps } from '../../shared/allocation/wiring';
import { claimFromPool } from '../../shared/allocation/pool-claim-use-case';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /pools/{id}/claim: a pool member takes the chosen customers, or the `count` that waited longest (one transaction). */
export const handler = httpHandler({ body: claimFromPoolInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { claimed, requested } = await claimFromPool(poolClaimDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, { claimed: claimed.map(customerView), requested });
});
