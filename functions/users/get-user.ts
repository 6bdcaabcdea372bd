import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { userDirectory } from '../../shared/users/wiring';
import { getUser } from '../../shared/users/user-use-cases';

/** GET /users/{userId}: admins, managers, and the user themself. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, userView(await getUser(userDirectory, caller, pathParameters.userId))));
