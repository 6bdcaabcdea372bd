import { httpHandler, json } from '../../shared/http/http-handler';
import { pipelineView } from '../../shared/pipelines/pipeline';
import { pipelineRepository } from '../../shared/pipelines/wiring';
import { listPipelines } from '../../shared/pipelines/pipeline-use-cases';

/** GET /pipelines: the tenant's pipelines (one Query). */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listPipelines(pipelineRepository, caller)).map(pipelineView) }));
