import { releaseCustomerInput } from '../../shared/allocation/ownership-inputs';
import { ownershipDeps } from '../../shared/allocation/wiring';
import { releaseCustomer } from '../../shared/allocation/ownership-use-cases';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/release: the owner puts the customer into a pool (the given one, or the routed one). */
export const handler = httpHandler({ body: releaseCustomerInput }, async ({ caller, body, pathParameters, requestId }) => {
  const customer = await releaseCustomer(ownershipDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
