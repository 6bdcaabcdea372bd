import { httpHandler, json } from '../../shared/http/http-handler';
import { engagementInput } from '../../shared/leads/lead';
import { leadRepository } from '../../shared/leads/wiring';
import { addEngagement } from '../../shared/leads/lead-use-cases';

/** POST /leads/{id}/engagements: a signal; the lead is re-scored (and maybe qualified) at once. */
export const handler = httpHandler({ body: engagementInput }, async ({ caller, body, pathParameters, requestId }) =>
  json(201, await addEngagement(leadRepository, caller, pathParameters.id ?? '', body, requestId)),
);
