import { getForecast } from '../../shared/deals/forecast-repository';
import { forecastReader } from '../../shared/deals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { pipelineRepository } from '../../shared/pipelines/wiring';

/** GET /forecast?period=2027-Q1&by=owner|team: won, commit, best case, pipeline and weighted per owner or team. */
export const handler = httpHandler({}, async ({ caller, query }) => json(200, await getForecast(forecastReader, pipelineRepository, caller, query)));
