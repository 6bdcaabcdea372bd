import { customerView } from '../../shared/customers/customer';
import { assertNotSelfMerge, mergeCustomersInput } from '../../shared/customers/customer-merge';
import { customerMergeRepositories } from '../../shared/customers/wiring';
import { mergeCustomers } from '../../shared/customers/customer-merge-use-case';
import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';

/** POST /customers/{id}/merge: `{id}` absorbs `sourceId`, which then answers 410 pointing here. */
export const handler = httpHandler({ body: mergeCustomersInput }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const survivorId = pathParameters.id ?? '';
  assertNotSelfMerge(survivorId, body); // before If-Match is read, as always
  const { survivor } = await mergeCustomers(customerMergeRepositories, caller, survivorId, body, optionalVersionFromIfMatch(headers['if-match']), requestId);
  return json(200, customerView(survivor), { etag: `"${survivor.version}"` });
});
