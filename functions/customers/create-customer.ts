import { customerView, createCustomerInput } from '../../shared/customers/customer';
import { customFieldRepository } from '../../shared/custom-fields/wiring';
import { customerRepository } from '../../shared/customers/wiring';
import { createCustomer } from '../../shared/customers/customer-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

export const handler = httpHandler({ body: createCustomerInput }, async ({ caller, body, requestId }) => {
  const customer = await createCustomer(customerRepository, caller, body, requestId, customFieldRepository);
  return json(201, customerView(customer), { location: `/customers/${customer.id}`, etag: `"${customer.version}"` });
});
