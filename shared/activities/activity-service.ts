import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { poolRepository } from '../pools/pool-service';
import { ENV, requireEnv } from '../runtime-env';
import { ActivityRepository } from './activity-repository';

export const activityRepositories = {
  customers: customerRepository,
  activities: new ActivityRepository(documentClient, requireEnv(ENV.tableName)),
  pools: poolRepository,
};
