import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { pipelineRepository } from '../pipelines/pipeline-service';
import { ENV, requireEnv } from '../runtime-env';
import { userDirectory } from '../users/user-service';
import { LeadConversionRepository } from './lead-conversion-repository';
import type { ConversionDeps } from './lead-conversion-use-case';
import { leadRepository } from './lead-service';

/** The conversion's dependencies wired to this container's table; built once per container. */
export const conversionDeps: ConversionDeps = {
  leads: leadRepository,
  customers: customerRepository,
  pipelines: pipelineRepository,
  users: userDirectory,
  conversions: new LeadConversionRepository(documentClient, requireEnv(ENV.tableName)),
};
