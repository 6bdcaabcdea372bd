import { clock } from '../../shared/clock';
import { contractView, terminateContractInput } from '../../shared/contracts/contract';
import { terminateContract } from '../../shared/contracts/contract-use-cases';
import { contractDeps } from '../../shared/contracts/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';

/** POST /contracts/{id}/terminate: an active contract ends early. */
export const handler = httpHandler({ body: terminateContractInput }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const contract = await terminateContract(contractDeps, caller, pathParameters.id ?? '', body.reason, optionalVersionFromIfMatch(headers['if-match']), requestId);
  return json(200, contractView(contract, clock.nowIso().slice(0, 10)), { etag: `"${contract.version}"` });
});
