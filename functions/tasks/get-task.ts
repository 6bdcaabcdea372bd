import { httpHandler, json } from '../../shared/http/http-handler';
import { taskView } from '../../shared/tasks/task';
import { getTask } from '../../shared/tasks/task-use-cases';
import { taskDeps } from '../../shared/tasks/wiring';

/** GET /tasks/{id} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const task = await getTask(taskDeps, caller, pathParameters.id ?? '');
  return json(200, taskView(task), { etag: `"${task.version}"` });
});
