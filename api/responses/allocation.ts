import * as z from 'zod/mini';
import { BOOK_TRANSFER_STATUSES, type bookTransferView } from '../../shared/allocation/book-transfer';
import { type OwnershipChange, OWNERSHIP_REASONS } from '../../shared/allocation/ownership-history';

/**
 * The ownership history entry as the 360 view lists it, for the OpenAPI document only (following
 * common.ts, which imports it; the problem bodies of the ownership routes live with their rows in
 * api/routes/allocation.ts). The check at the end ties it to the stored record.
 */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T09:30:00.000Z'] }));

/** One entry of a customer's ownership history (the 360 view's `ownershipHistory`). */
export const ownershipChangeResponse = z.object({
  id: z.string().check(z.describe('Entry id (ULID)')),
  customerId: z.string(),
  from: z.nullable(z.string()).check(z.describe('The owner before; null when it came from a pool or was unassigned')),
  to: z.nullable(z.string()).check(z.describe('The owner after; null when it went to a pool')),
  poolId: z.nullable(z.string()).check(z.describe('The pool it came from (claim, assignment out of a pool) or went to (release, reclaim)')),
  reason: z.enum(OWNERSHIP_REASONS),
  note: z.nullable(z.string()).check(z.describe("The releasing user's reason")),
  actor: z.object({ type: z.enum(['user', 'system']), id: z.string() }),
  at: timestamp,
});

/** `bookTransferView`: a hand-over of a user's book (POST/GET /users/{userId}/transfer, deactivation). */
export const bookTransferResponse = z.object({
  id: z.string(),
  fromUserId: z.string(),
  toUserId: z.nullable(z.string()),
  poolId: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  status: z.enum(BOOK_TRANSFER_STATUSES),
  moved: z.number().check(z.describe('Customers moved so far')),
  skipped: z.number().check(z.describe('Customers that moved meanwhile or could not move')),
  rounds: z.number().check(z.describe('Invocations it took so far')),
  requestedBy: z.string(),
  requestedAt: timestamp,
  finishedAt: z.nullable(timestamp),
  updatedAt: timestamp,
});

// ---- the schemas above must describe what the code stores ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
type _OwnershipChangeMatchesTheCode = Holds<Equals<z.output<typeof ownershipChangeResponse>, OwnershipChange>>;
type _BookTransferMatchesTheCode = Holds<Equals<z.output<typeof bookTransferResponse>, ReturnType<typeof bookTransferView>>>;
