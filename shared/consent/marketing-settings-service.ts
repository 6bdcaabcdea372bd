import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { MarketingSettingsRepository } from './marketing-settings-repository';

/** The settings handlers' repository, built once per container. */
export const marketingSettingsRepository = new MarketingSettingsRepository(documentClient, requireEnv(ENV.tableName));
