import { httpHandler, json } from '../../shared/http/http-handler';
import { scoringConfigInput } from '../../shared/leads/lead-scoring';
import { leadRepository } from '../../shared/leads/wiring';
import { putScoringConfig } from '../../shared/leads/lead-use-cases';

/** PUT /lead-scoring: the tenant's fit and engagement rules and the MQL/SQL thresholds. */
export const handler = httpHandler({ body: scoringConfigInput }, async ({ caller, body }) => json(200, await putScoringConfig(leadRepository, caller, body)));
