import { httpHandler, json } from '../../shared/http/http-handler';
import { createPipelineInput, pipelineView } from '../../shared/pipelines/pipeline';
import { pipelineRepository } from '../../shared/pipelines/wiring';
import { createPipeline } from '../../shared/pipelines/pipeline-use-cases';

/** POST /pipelines: ordered stages with win probabilities and forecast categories; admins only. */
export const handler = httpHandler({ body: createPipelineInput }, async ({ caller, body }) => {
  const pipeline = await createPipeline(pipelineRepository, caller, body);
  return json(201, pipelineView(pipeline), { location: `/pipelines/${pipeline.id}` });
});
