import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { userDirectory } from '../../shared/users/wiring';
import { listUsers } from '../../shared/users/user-use-cases';

/** GET /users?limit=&cursor= : admins and managers; by user id. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listUsers(userDirectory, caller, query);
  return json(200, { items: page.items.map(userView), cursor: page.cursor });
});
