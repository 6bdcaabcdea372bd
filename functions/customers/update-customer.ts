import { customerPatch, customerView } from '../../shared/customers/customer';
import { customFieldRepository } from '../../shared/custom-fields/wiring';
import { customerRepository } from '../../shared/customers/wiring';
import { updateCustomer } from '../../shared/customers/customer-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';

/** PATCH /customers/{id}: JSON Merge Patch with If-Match (optimistic concurrency). */
export const handler = httpHandler({ body: customerPatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const customer = await updateCustomer(customerRepository, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match']), requestId, customFieldRepository);
  return json(200, customerView(customer), { etag: `"${customer.version}"` });
});
