import { httpHandler, json } from '../../shared/http/http-handler';
import { poolView } from '../../shared/pools/pool';
import { poolRepository } from '../../shared/pools/wiring';
import { getPool } from '../../shared/pools/pool-use-cases';

/** GET /pools/{id}: members only. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const pool = await getPool(poolRepository, caller, pathParameters.id ?? '');
  return json(200, poolView(pool), { etag: `"${pool.version}"` });
});
