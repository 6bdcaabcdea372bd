import * as z from 'zod/mini';
import type { Caller, Group } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import { Forbidden, ValidationFailed } from '../errors';
import { ULID_PATTERN, USER_ID_PATTERN } from '../id-formats';

/**
 * Handing a user's whole book over (docs/allocation.md, "Handing a book over"): every customer
 * they own goes to another user or into a pool, each with its open deals and tasks, by the same
 * conditional write as a single assignment or release. Pure: the request, the job, the rules.
 */

export const bookTransferInput = z.strictObject({
  toUserId: z.optional(z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'))),
  poolId: z.optional(z.string().check(z.regex(ULID_PATTERN, 'Expected a pool id'))),
  /** Why, kept on each released customer's history (hand-overs into a pool). */
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
});
export type BookTransferInput = z.output<typeof bookTransferInput>;

export const BOOK_TRANSFER_STATUSES = ['running', 'done'] as const;
export type BookTransferStatus = (typeof BOOK_TRANSFER_STATUSES)[number];

/** One hand-over, kept beside its user's directory entry: what it does, who asked, how far it got. */
export interface BookTransfer {
  id: string;
  fromUserId: string;
  toUserId: string | null;
  poolId: string | null;
  reason: string | null;
  status: BookTransferStatus;
  /** Customers moved by this hand-over. */
  moved: number;
  /** Customers that left the book some other way meanwhile (claimed, assigned by someone else), or could not move (too many open deals). */
  skipped: number;
  /** Invocations it took so far. */
  rounds: number;
  /** Where in the user's book (GSI1) the next invocation goes on: past the customers it could not move. */
  cursor: Record<string, unknown> | null;
  /** Who asked, with the groups their token carried: each move is made as them. */
  requestedBy: { userId: string; groups: Group[]; teamId: string | null };
  requestedAt: string;
  finishedAt: string | null;
  updatedAt: string;
}

/** Exactly one destination: a user or a pool (400 naming `toUserId` otherwise). */
export function destinationOf(input: BookTransferInput, fromUserId: string): { toUserId: string } | { poolId: string } {
  if ((input.toUserId === undefined) === (input.poolId === undefined)) {
    throw new ValidationFailed([{ path: 'toUserId', message: 'Name exactly one of toUserId (a user to take the book) or poolId (a pool to release it into)' }]);
  }
  if (input.toUserId === fromUserId) throw new ValidationFailed([{ path: 'toUserId', message: 'The book is already theirs: name another user' }]);
  return input.toUserId !== undefined ? { toUserId: input.toUserId } : { poolId: input.poolId! };
}

/** Admins hand any book over; managers those of their team's users (both ends in their team). */
export function assertMayHandOver(caller: Caller, from: { teamId: string | null }, to: { teamId: string | null } | undefined): void {
  if (isAdmin(caller)) return;
  if (!overseesReps(caller) || caller.teamId === undefined) throw new Forbidden('Only admins and managers hand a book over');
  if (from.teamId !== caller.teamId || (to && to.teamId !== caller.teamId)) throw new Forbidden("Managers hand over the books of their own team's users, to their own team");
}

/** The caller each move is made as: who asked, with the groups they had. */
export const requesterOf = (transfer: BookTransfer, tenantId: string): Caller => ({
  userId: transfer.requestedBy.userId,
  tenantId,
  groups: transfer.requestedBy.groups,
  ...(transfer.requestedBy.teamId ? { teamId: transfer.requestedBy.teamId } : {}),
});

export function bookTransferView(transfer: BookTransfer) {
  return {
    id: transfer.id,
    fromUserId: transfer.fromUserId,
    toUserId: transfer.toUserId,
    poolId: transfer.poolId,
    reason: transfer.reason,
    status: transfer.status,
    moved: transfer.moved,
    skipped: transfer.skipped,
    rounds: transfer.rounds,
    requestedBy: transfer.requestedBy.userId,
    requestedAt: transfer.requestedAt,
    finishedAt: transfer.finishedAt,
    updatedAt: transfer.updatedAt,
  };
}
