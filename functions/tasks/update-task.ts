import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { taskPatch, taskView } from '../../shared/tasks/task';
import { updateTask } from '../../shared/tasks/task-use-cases';
import { taskDeps } from '../../shared/tasks/wiring';

/** PATCH /tasks/{id}: merge patch of an open task, with If-Match. */
export const handler = httpHandler({ body: taskPatch }, async ({ caller, body, pathParameters, headers }) => {
  const task = await updateTask(taskDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'task'));
  return json(200, taskView(task), { etag: `"${task.version}"` });
});
