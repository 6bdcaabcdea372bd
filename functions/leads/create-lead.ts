import { httpHandler, json, requestOrigin } from '../../shared/http/http-handler';
import { createLeadInput, leadView } from '../../shared/leads/lead';
import { confirmationDeps } from '../../shared/leads/lead-consent-wiring';
import { leadRepository } from '../../shared/leads/wiring';
import { createLead } from '../../shared/leads/lead-use-cases';

/** POST /leads: 201 with the new lead, or 200 naming the existing customer it was attached to. */
export const handler = httpHandler({ body: createLeadInput }, async ({ caller, body, requestId, headers }) => {
  const outcome = await createLead(leadRepository, confirmationDeps, caller, body, requestId, requestOrigin(headers));
  if (outcome.disposition === 'new') return json(201, leadView(outcome.lead), { location: `/leads/${outcome.lead.id}` });
  if (outcome.disposition !== 'matched-customer') return json(200, outcome);
  const { waiting, email: _address, ...match } = outcome;
  return json(200, { ...match, awaitingConfirmation: waiting });
});
