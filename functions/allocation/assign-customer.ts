import { assignCustomerInput } from '../../shared/allocation/ownership-inputs';
import { ownershipDeps } from '../../shared/allocation/wiring';
import { assignCustomer } from '../../shared/allocation/ownership-use-cases';
import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/assign: a manager or admin gives the customer to a user (a transfer when owned). */
export const handler = httpHandler({ body: assignCustomerInput }, async ({ caller, body, pathParameters, requestId }) => {
  const customer = await assignCustomer(ownershipDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
