import { bookTransferInput, bookTransferView } from '../../shared/allocation/book-transfer';
import { startBookTransfer } from '../../shared/allocation/book-transfer-use-case';
import { bookTransferDeps } from '../../shared/allocation/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /users/{userId}/transfer: starts handing the user's whole book over; 202, the moves run in the background. */
export const handler = httpHandler({ body: bookTransferInput }, async ({ caller, body, pathParameters, requestId }) => {
  const userId = pathParameters.userId ?? '';
  const transfer = await startBookTransfer(bookTransferDeps, caller, userId, body, requestId);
  return json(202, bookTransferView(transfer), { location: `/users/${userId}/transfer` });
});
