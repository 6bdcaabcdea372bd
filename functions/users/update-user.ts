import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { updateUserInput, userView } from '../../shared/users/user';
import { updateUser } from '../../shared/users/user-use-cases';
import { identityProvider, userDirectory } from '../../shared/users/wiring';

/** PATCH /users/{userId}: an admin changes a user's name, groups, team or manager, with If-Match. */
export const handler = httpHandler({ body: updateUserInput }, async ({ caller, body, pathParameters, headers }) => {
  const user = await updateUser({ directory: userDirectory, identity: identityProvider }, caller, pathParameters.userId, body, versionFromIfMatch(headers['if-match'], 'user'));
  return json(200, userView(user), { etag: `"${user.version}"` });
});
