import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { DailyStatsRepository } from './daily-stats-repository';

export const dailyStatsRepository = new DailyStatsRepository(documentClient, requireEnv(ENV.tableName));
