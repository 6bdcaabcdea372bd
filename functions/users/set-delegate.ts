import { httpHandler, json } from '../../shared/http/http-handler';
import { delegateInput } from '../../shared/users/delegation';
import { userView } from '../../shared/users/user';
import { setDelegate } from '../../shared/users/user-use-cases';
import { userDirectory } from '../../shared/users/wiring';

/** PUT /users/{userId}/delegate: who decides the user's approvals while they are away. */
export const handler = httpHandler({ body: delegateInput }, async ({ caller, body, pathParameters }) => {
  const user = await setDelegate(userDirectory, caller, pathParameters.userId, body);
  return json(200, userView(user), { etag: `"${user.version}"` });
});
