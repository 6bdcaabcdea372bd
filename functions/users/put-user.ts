import { httpHandler, json } from '../../shared/http/http-handler';
import { putUserInput, userView } from '../../shared/users/user';
import { userDirectory } from '../../shared/users/wiring';
import { putUser } from '../../shared/users/user-use-cases';

/** PUT /users/{userId}: an admin creates (201) or replaces (200) a directory entry. */
export const handler = httpHandler({ body: putUserInput }, async ({ caller, body, pathParameters }) => {
  const { user, created } = await putUser(userDirectory, caller, pathParameters.userId, body);
  return json(created ? 201 : 200, userView(user), { etag: `"${user.version}"`, ...(created ? { location: `/users/${user.userId}` } : {}) });
});
