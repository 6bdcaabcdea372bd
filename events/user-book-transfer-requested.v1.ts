import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A user's whole book is to be handed over: to another user, or into a pool (docs/allocation.md,
 * "Handing a book over"). Committed with the hand-over, and again by a run that goes on in a new
 * invocation (actor `system/book-transfer`): the consumer resumes where the hand-over's item says.
 */
export const bookTransferRequestedV1 = defineEvent(
  'crm.user.book-transfer-requested.v1',
  z.object({
    transferId: z.string(),
    fromUserId: z.string(),
    toUserId: z.nullable(z.string()),
    poolId: z.nullable(z.string()),
  }),
);

export type BookTransferRequestedV1 = DetailOf<typeof bookTransferRequestedV1>;
