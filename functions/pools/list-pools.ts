import { httpHandler, json } from '../../shared/http/http-handler';
import { poolView } from '../../shared/pools/pool';
import { poolRepository } from '../../shared/pools/wiring';
import { listPools } from '../../shared/pools/pool-use-cases';

/** GET /pools: the pools the caller is a member of (admins: all). */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listPools(poolRepository, caller)).map(poolView) }));
