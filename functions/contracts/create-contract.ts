import { clock } from '../../shared/clock';
import { contractView, createContractInput } from '../../shared/contracts/contract';
import { createContract } from '../../shared/contracts/contract-use-cases';
import { contractDeps } from '../../shared/contracts/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /contracts: active at once, or pending the `contract` policy's approval. */
export const handler = httpHandler({ body: createContractInput }, async ({ caller, body, requestId }) => {
  const contract = await createContract(contractDeps, caller, body, requestId);
  return json(201, contractView(contract, clock.nowIso().slice(0, 10)), { etag: `"${contract.version}"`, location: `/contracts/${contract.id}` });
});
