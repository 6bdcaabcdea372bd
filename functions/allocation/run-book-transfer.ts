import type { Context } from 'aws-lambda';
import { runBookTransfer } from '../../shared/allocation/book-transfer-use-case';
import { bookTransferDeps } from '../../shared/allocation/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target: a requested or continued book hand-over, worked down until done or until the invocation runs low on time. */
export const handler = eventHandler(async (event: unknown, context: Context) => {
  await runBookTransfer(bookTransferDeps, event, () => context.getRemainingTimeInMillis());
});
