import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { userDirectory } from '../../shared/users/wiring';
import { getUser } from '../../shared/users/user-use-cases';

/** GET /users/{userId}: admins, managers, and the user themself; the ETag is what PATCH sends back. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const user = await getUser(userDirectory, caller, pathParameters.userId);
  return json(200, userView(user), { etag: `"${user.version}"` });
});
