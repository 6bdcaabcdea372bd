import { httpHandler, json } from '../../shared/http/http-handler';
import { convertLeadInput } from '../../shared/leads/lead-conversion';
import { conversionDeps } from '../../shared/leads/wiring';
import { convertLead } from '../../shared/leads/lead-conversion-use-case';

/** POST /leads/{id}/convert: the lead becomes (or joins) a customer, with its contact and an optional deal, in one transaction. */
export const handler = httpHandler({ body: convertLeadInput }, async ({ caller, body, pathParameters, requestId }) => {
  const result = await convertLead(conversionDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, result, { location: `/customers/${result.customerId}` });
});
