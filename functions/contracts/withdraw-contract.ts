import { clock } from '../../shared/clock';
import { contractView, withdrawContractInput } from '../../shared/contracts/contract';
import { withdrawContract } from '../../shared/contracts/contract-use-cases';
import { contractDeps } from '../../shared/contracts/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';

/** POST /contracts/{id}/withdraw: a contract under approval taken back; its process ends as recalled. */
export const handler = httpHandler({ body: withdrawContractInput }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const contract = await withdrawContract(contractDeps, caller, pathParameters.id ?? '', body.reason, optionalVersionFromIfMatch(headers['if-match']), requestId);
  return json(200, contractView(contract, clock.nowIso().slice(0, 10)), { etag: `"${contract.version}"` });
});
