import { httpHandler, json } from '../../shared/http/http-handler';
import { taskView } from '../../shared/tasks/task';
import { listTasks } from '../../shared/tasks/task-use-cases';
import { taskDeps } from '../../shared/tasks/wiring';

/** GET /tasks?assignee=me&when=open|overdue|today|upcoming|done&tz=: one Query per page. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listTasks(taskDeps, caller, query);
  return json(200, { items: page.items.map(taskView), cursor: page.cursor });
});
