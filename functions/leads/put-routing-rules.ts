import { httpHandler, json } from '../../shared/http/http-handler';
import { routingConfigInput } from '../../shared/leads/lead-routing';
import { leadRepository } from '../../shared/leads/wiring';
import { putRoutingConfig } from '../../shared/leads/lead-use-cases';

/** PUT /routing-rules: rules to teams, each team's roster of available reps. */
export const handler = httpHandler({ body: routingConfigInput }, async ({ caller, body }) => json(200, await putRoutingConfig(leadRepository, caller, body)));
