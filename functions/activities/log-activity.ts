import { activityView, logActivityInput } from '../../shared/activities/activity';
import { activityRepositories } from '../../shared/activities/wiring';
import { logActivity } from '../../shared/activities/activity-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/activities */
export const handler = httpHandler({ body: logActivityInput }, async ({ caller, body, pathParameters, requestId }) => {
  const activity = await logActivity(activityRepositories, caller, pathParameters.id ?? '', body, requestId);
  return json(201, activityView(activity));
});
