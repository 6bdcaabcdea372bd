import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { poolPatch, poolView } from '../../shared/pools/pool';
import { poolRepository } from '../../shared/pools/wiring';
import { assertMayChangePools, updatePool } from '../../shared/pools/pool-use-cases';

/** PATCH /pools/{id}: JSON Merge Patch with If-Match; admins only. */
export const handler = httpHandler({ body: poolPatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  assertMayChangePools(caller); // 403 before any If-Match complaint, as always
  const pool = await updatePool(poolRepository, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match']), requestId);
  return json(200, poolView(pool), { etag: `"${pool.version}"` });
});
