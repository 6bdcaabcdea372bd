import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { pipelineView } from '../../shared/pipelines/pipeline';
import { pipelinePatch } from '../../shared/pipelines/pipeline-edit';
import { updatePipeline } from '../../shared/pipelines/pipeline-edit-use-case';
import { pipelineEditDeps } from '../../shared/pipelines/wiring';

/** PATCH /pipelines/{id}: rename, stage list changes with If-Match; a removed stage's deals move to `moveDealsTo` (resumable). */
export const handler = httpHandler({ body: pipelinePatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const pipeline = await updatePipeline(pipelineEditDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'pipeline'), requestId);
  return json(200, pipelineView(pipeline), { etag: `"${pipeline.version}"` });
});
