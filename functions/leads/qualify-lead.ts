import { httpHandler, json } from '../../shared/http/http-handler';
import { qualifyLeadInput } from '../../shared/leads/lead';
import { leadRepository } from '../../shared/leads/wiring';
import { qualifyLead } from '../../shared/leads/lead-use-cases';

/** POST /leads/{id}/qualify: a rep moves the lead to MQL or SQL, with a reason. */
export const handler = httpHandler({ body: qualifyLeadInput }, async ({ caller, body, pathParameters, requestId }) =>
  json(200, await qualifyLead(leadRepository, caller, pathParameters.id ?? '', body, requestId)),
);
