import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { PipelineNotFound } from '../deals/deal-errors';
import { Forbidden } from '../errors';
import { newId } from '../ids';
import { canDefinePipelines, type CreatePipelineInput, newPipeline, type Pipeline } from './pipeline';
import type { PipelineRepository } from './pipeline-repository';

export async function createPipeline(repository: Pick<PipelineRepository, 'create'>, caller: Caller, input: CreatePipelineInput): Promise<Pipeline> {
  if (!canDefinePipelines(caller)) throw new Forbidden('Only an admin may define pipelines');
  const pipeline = newPipeline(input, caller, newId(), clock.nowIso());
  await repository.create(pipeline);
  return pipeline;
}

export async function getPipeline(repository: Pick<PipelineRepository, 'get'>, caller: Caller, pipelineId: string): Promise<Pipeline> {
  const pipeline = pipelineId ? await repository.get(caller.tenantId, pipelineId) : undefined;
  if (!pipeline) throw new PipelineNotFound(pipelineId);
  return pipeline;
}

export const listPipelines = (repository: Pick<PipelineRepository, 'list'>, caller: Caller) => repository.list(caller.tenantId);
