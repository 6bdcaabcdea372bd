import { httpHandler, json } from '../../shared/http/http-handler';
import { leadRepository } from '../../shared/leads/wiring';
import { getLead } from '../../shared/leads/lead-use-cases';

/** GET /leads/{id}: the lead, its score at this moment and the rules that made it. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, await getLead(leadRepository, caller, pathParameters.id ?? '')));
