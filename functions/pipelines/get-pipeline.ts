import { httpHandler, json } from '../../shared/http/http-handler';
import { pipelineView } from '../../shared/pipelines/pipeline';
import { pipelineRepository } from '../../shared/pipelines/wiring';
import { getPipeline } from '../../shared/pipelines/pipeline-use-cases';

/** GET /pipelines/{id}. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, pipelineView(await getPipeline(pipelineRepository, caller, pathParameters.id ?? ''))));
