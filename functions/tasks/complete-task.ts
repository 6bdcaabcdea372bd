import { httpHandler, json } from '../../shared/http/http-handler';
import { completeTaskInput, taskView } from '../../shared/tasks/task';
import { completeTask } from '../../shared/tasks/task-use-cases';
import { taskDeps } from '../../shared/tasks/wiring';

/** POST /tasks/{id}/complete: done once; a repeated completion answers the task as it was completed. */
export const handler = httpHandler({ body: completeTaskInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { task } = await completeTask(taskDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, taskView(task), { etag: `"${task.version}"` });
});
