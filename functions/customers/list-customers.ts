import { customerView } from '../../shared/customers/customer';
import { parseListQuery, planCustomerList } from '../../shared/customers/customer-list-query';
import { customerLister } from '../../shared/customers/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /customers?owner=&stage=&tag=&updatedFrom=&updatedTo=&name=&email=&phone=&limit=&cursor= */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const q = parseListQuery(query);
  const page = await customerLister.page(planCustomerList(q, caller), caller, q.cursor);
  return json(200, { items: page.items.map(customerView), cursor: page.cursor });
});
