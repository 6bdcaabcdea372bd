import { bookTransferView } from '../../shared/allocation/book-transfer';
import { getBookTransfer } from '../../shared/allocation/book-transfer-use-case';
import { bookTransferDeps } from '../../shared/allocation/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /users/{userId}/transfer: how far the latest hand-over of the user's book got. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, bookTransferView(await getBookTransfer(bookTransferDeps, caller, pathParameters.userId ?? ''))));
