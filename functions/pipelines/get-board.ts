import { httpHandler, json } from '../../shared/http/http-handler';
import { getBoard } from '../../shared/pipelines/board-use-case';
import { boardReader, pipelineRepository } from '../../shared/pipelines/wiring';

/** GET /pipelines/{id}/board: columns with counts and sums (aggregate items) and their first deals (index Queries). */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => json(200, await getBoard(boardReader, pipelineRepository, caller, pathParameters.id ?? '', query)));
