import { ownershipDeps } from '../../shared/allocation/wiring';
import { claimCustomer } from '../../shared/allocation/ownership-use-cases';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/claim: a member of the customer's pool takes it (one transaction, caps as conditions). */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const customer = await claimCustomer(ownershipDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
