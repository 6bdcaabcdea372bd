import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { RescheduleRepository } from './reclaim-reschedule-repository';

/** The reschedule pass's repository, built once per container (module load). */
export const rescheduleRepository = new RescheduleRepository(documentClient, requireEnv(ENV.tableName));
