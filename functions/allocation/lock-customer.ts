import { lockCustomer } from '../../shared/allocation/lock-use-cases';
import { ownershipDeps } from '../../shared/allocation/wiring';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/lock: exempts an owned customer from reclaim, within the owner's lock cap. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const customer = await lockCustomer(ownershipDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
