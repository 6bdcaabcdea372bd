import { unlockCustomer } from '../../shared/allocation/lock-use-cases';
import { ownershipDeps } from '../../shared/allocation/wiring';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/unlock: the reclaim rules apply to the customer again. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const customer = await unlockCustomer(ownershipDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
