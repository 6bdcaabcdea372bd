import { httpHandler, json } from '../../shared/http/http-handler';
import { getBoard } from '../../shared/pipelines/board';
import { boardReader } from '../../shared/pipelines/board-service';
import { pipelineRepository } from '../../shared/pipelines/pipeline-service';

/** GET /pipelines/{id}/board: columns with counts and sums (aggregate items) and their first deals (index Queries). */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => json(200, await getBoard(boardReader, pipelineRepository, caller, pathParameters.id ?? '', query)));
