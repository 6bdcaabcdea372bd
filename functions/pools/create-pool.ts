import { httpHandler, json } from '../../shared/http/http-handler';
import { createPoolInput, poolView } from '../../shared/pools/pool';
import { poolRepository } from '../../shared/pools/wiring';
import { createPool } from '../../shared/pools/pool-use-cases';

/** POST /pools: an admin creates a pool (the tenant's first is its default). */
export const handler = httpHandler({ body: createPoolInput }, async ({ caller, body, requestId }) => {
  const pool = await createPool(poolRepository, caller, body, requestId);
  return json(201, poolView(pool), { etag: `"${pool.version}"`, location: `/pools/${pool.id}` });
});
