import { httpHandler, json } from '../../shared/http/http-handler';
import { inviteUserInput, userView } from '../../shared/users/user';
import { inviteUser } from '../../shared/users/user-use-cases';
import { identityProvider, userDirectory } from '../../shared/users/wiring';

/** POST /users: an admin invites a user into their tenant (sign-in, groups, invitation mail, directory entry). */
export const handler = httpHandler({ body: inviteUserInput }, async ({ caller, body }) => {
  const user = await inviteUser({ directory: userDirectory, identity: identityProvider }, caller, body);
  return json(201, userView(user), { location: `/users/${user.userId}`, etag: `"${user.version}"` });
});
