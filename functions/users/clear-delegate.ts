import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { setDelegate } from '../../shared/users/user-use-cases';
import { userDirectory } from '../../shared/users/wiring';

/** DELETE /users/{userId}/delegate: the user decides their approvals themself again. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const user = await setDelegate(userDirectory, caller, pathParameters.userId, null);
  return json(200, userView(user), { etag: `"${user.version}"` });
});
