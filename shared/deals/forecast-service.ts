import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { ForecastReader } from './forecast-repository';

/** The forecast's reader wired to this container's table; built once per container. */
export const forecastReader = new ForecastReader(documentClient, requireEnv(ENV.tableName));
