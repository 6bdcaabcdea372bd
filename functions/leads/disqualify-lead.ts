import { httpHandler, json } from '../../shared/http/http-handler';
import { disqualifyLeadInput } from '../../shared/leads/lead';
import { leadRepository } from '../../shared/leads/wiring';
import { disqualifyLead } from '../../shared/leads/lead-use-cases';

/** POST /leads/{id}/disqualify: out, or (`nurture: true`) onto the nurture list. */
export const handler = httpHandler({ body: disqualifyLeadInput }, async ({ caller, body, pathParameters, requestId }) =>
  json(200, await disqualifyLead(leadRepository, caller, pathParameters.id ?? '', body, requestId)),
);
