import { ACTIVITY_PAGE_SIZE, activityView } from '../../shared/activities/activity';
import { activityRepositories } from '../../shared/activities/wiring';
import { listActivities } from '../../shared/activities/activity-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';

/** GET /customers/{id}/activities?limit=&cursor= : newest first. */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => {
  const page = await listActivities(activityRepositories, caller, pathParameters.id ?? '', parseLimit(query.limit, ACTIVITY_PAGE_SIZE.default, ACTIVITY_PAGE_SIZE.max), query.cursor);
  return json(200, { items: page.items.map(activityView), cursor: page.cursor });
});
