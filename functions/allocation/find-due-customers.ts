import { reclaimRepository } from '../../shared/allocation/wiring';
import { findDueTask } from '../../shared/allocation/reclaim-sweep-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Task of the reclaim flow: `{shards}` -> `{now, customers, capped}`, the due entries of the reclaim index. */
export const handler = eventHandler(async (event: unknown) => findDueTask(reclaimRepository, event));
