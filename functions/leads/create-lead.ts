import { httpHandler, json } from '../../shared/http/http-handler';
import { createLeadInput, leadView } from '../../shared/leads/lead';
import { leadRepository } from '../../shared/leads/wiring';
import { createLead } from '../../shared/leads/lead-use-cases';

/** POST /leads: 201 with the new lead, or 200 naming the existing customer it was attached to. */
export const handler = httpHandler({ body: createLeadInput }, async ({ caller, body, requestId }) => {
  const outcome = await createLead(leadRepository, caller, body, requestId);
  if (outcome.disposition === 'new') return json(201, leadView(outcome.lead), { location: `/leads/${outcome.lead.id}` });
  return json(200, outcome);
});
