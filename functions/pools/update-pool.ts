import { httpHandler, json } from '../../shared/http/http-handler';
import { poolPatch, poolView } from '../../shared/pools/pool';
import { poolRepository } from '../../shared/pools/wiring';
import { updatePool } from '../../shared/pools/pool-use-cases';

/** PATCH /pools/{id}: JSON Merge Patch with If-Match; admins only. */
export const handler = httpHandler({ body: poolPatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const pool = await updatePool(poolRepository, caller, pathParameters.id ?? '', body, headers['if-match'], requestId);
  return json(200, poolView(pool), { etag: `"${pool.version}"` });
});
