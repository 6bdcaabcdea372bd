import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { activateUser } from '../../shared/users/user-use-cases';
import { identityProvider, userDirectory } from '../../shared/users/wiring';

/** POST /users/{userId}/activate: a deactivated user may sign in and work again. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) =>
  json(200, userView(await activateUser({ directory: userDirectory, identity: identityProvider }, caller, pathParameters.userId))),
);
