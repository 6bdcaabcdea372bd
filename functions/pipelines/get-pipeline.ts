import { httpHandler, json } from '../../shared/http/http-handler';
import { pipelineView } from '../../shared/pipelines/pipeline';
import { pipelineRepository } from '../../shared/pipelines/wiring';
import { getPipeline } from '../../shared/pipelines/pipeline-use-cases';

/** GET /pipelines/{id}, with the ETag a PATCH sends back in If-Match. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const pipeline = await getPipeline(pipelineRepository, caller, pathParameters.id ?? '');
  return json(200, pipelineView(pipeline), { etag: `"${pipeline.version}"` });
});
