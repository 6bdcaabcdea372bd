import { clock } from '../../shared/clock';
import { contractView } from '../../shared/contracts/contract';
import { getContract } from '../../shared/contracts/contract-use-cases';
import { contractDeps } from '../../shared/contracts/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /contracts/{id} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const contract = await getContract(contractDeps, caller, pathParameters.id ?? '');
  return json(200, contractView(contract, clock.nowIso().slice(0, 10)), { etag: `"${contract.version}"` });
});
