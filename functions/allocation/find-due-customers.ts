import { reclaimRepository } from '../../shared/allocation/wiring';
import { findDueTask } from '../../shared/allocation/reclaim-sweep-use-cases';

/** Task of the reclaim flow: `{shards}` -> `{now, customers, capped}`, the due entries of the reclaim index. */
export const handler = async (event: unknown) => findDueTask(reclaimRepository, event);
