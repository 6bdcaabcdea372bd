import { customerView } from '../../shared/customers/customer';
import { httpHandler, json } from '../../shared/http/http-handler';
import { poolCustomerLister, poolRepository } from '../../shared/pools/wiring';
import { listPoolCustomers } from '../../shared/pools/pool-use-cases';

/** GET /pools/{id}/customers?industry=&region=&level=&limit=&cursor= : members only. */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => {
  const page = await listPoolCustomers({ pools: poolRepository, lister: poolCustomerLister }, caller, pathParameters.id ?? '', query);
  return json(200, { items: page.items.map(customerView), cursor: page.cursor });
});
