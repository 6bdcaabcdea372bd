import { httpHandler, json } from '../../shared/http/http-handler';
import { createTaskInput, taskView } from '../../shared/tasks/task';
import { createTask } from '../../shared/tasks/task-use-cases';
import { taskDeps } from '../../shared/tasks/wiring';

/** POST /tasks */
export const handler = httpHandler({ body: createTaskInput }, async ({ caller, body, requestId }) => {
  const task = await createTask(taskDeps, caller, body, requestId);
  return json(201, taskView(task), { etag: `"${task.version}"`, location: `/tasks/${task.id}` });
});
