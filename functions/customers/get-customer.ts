import { customerView } from '../../shared/customers/customer';
import { customerRepository } from '../../shared/customers/wiring';
import { getCustomer } from '../../shared/customers/customer-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';
import { poolRepository } from '../../shared/pools/wiring';

export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const customer = await getCustomer(customerRepository, caller, pathParameters.id ?? '', poolRepository);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
