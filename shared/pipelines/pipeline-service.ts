import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { PipelineRepository } from './pipeline-repository';

/** The pipeline repository wired to this container's table; built once per container. */
export const pipelineRepository = new PipelineRepository(documentClient, requireEnv(ENV.tableName));
