import { bookTransferInput, bookTransferView } from '../../shared/allocation/book-transfer';
import { bookHandOver } from '../../shared/allocation/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { userView } from '../../shared/users/user';
import { deactivateUser } from '../../shared/users/user-use-cases';
import { identityProvider, userDirectory } from '../../shared/users/wiring';

/** POST /users/{userId}/deactivate: sign-in off, API refused, book handed on (202 while it moves). */
export const handler = httpHandler({ body: bookTransferInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { user, transfer } = await deactivateUser({ directory: userDirectory, identity: identityProvider, handOver: bookHandOver }, caller, pathParameters.userId, body, requestId);
  const view = { ...userView(user), bookTransfer: transfer && bookTransferView(transfer) };
  return transfer ? json(202, view, { location: `/users/${user.userId}/transfer` }) : json(200, view);
});
