import { documentClient } from '../aws/dynamodb';
import { newId } from '../ids';
import { ENV, requireEnv } from '../runtime-env';
import { ReclaimRepository } from './reclaim-repository';
import { type EvaluateDeps, poolsPerRun } from './reclaim-sweep';

/** The sweep's adapters, built once per container (module load) for the reclaim flow's tasks. */
export const reclaimRepository = new ReclaimRepository(documentClient, requireEnv(ENV.tableName));

export const evaluateDeps: EvaluateDeps = {
  repo: reclaimRepository,
  pools: poolsPerRun(reclaimRepository),
  newId,
};
