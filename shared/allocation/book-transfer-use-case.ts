import { bookTransferRequestedV1 } from '../../events/user-book-transfer-requested.v1';
import { busEventSchema } from '../../events/envelope';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { clock } from '../clock';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { logInfo } from '../log';
import { newEvent } from '../outbox/outbox';
import type { Pool } from '../pools/pool';
import { type DirectoryUser, isActiveUser } from '../users/user';
import { assertMayHandOver, type BookTransfer, type BookTransferInput, destinationOf, requesterOf } from './book-transfer';
import type { BookTransferRepository } from './book-transfer-repository';
import { assignCustomer, releaseCustomer } from './ownership-use-cases';
import type { OwnershipDeps } from './ownership-write';

export interface BookTransferDeps {
  transfers: Pick<BookTransferRepository, 'get' | 'start' | 'progress' | 'ownedPage'>;
  users: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'teamId' | 'status'> | undefined> };
  pools: { get(tenantId: string, poolId: string): Promise<Pool | undefined> };
  ownership: OwnershipDeps;
}

/** Customers read per page of the user's book. */
const PAGE = 25;
/** Stop and continue in a new invocation with this much time left (a page's moves take well under it). */
const STOP_MARGIN_MS = 15_000;

export class BookTransferRunning extends Conflict {
  override readonly slug = 'book-transfer-running';
  constructor(userId: string, transferId: string) {
    super(`A hand-over of ${userId}'s book is running (${transferId}); wait for it (GET /users/${userId}/transfer) before asking for another`);
    Object.assign(this.extensions, { transferId });
  }
}

class NoSuchUser extends NotFound {
  constructor(userId: string) {
    super(`No user ${userId} in the directory`);
  }
}

/**
 * The checks of a hand-over, without starting it: the destination is one active user or one pool,
 * and the caller may hand this book over (deactivation checks before it disables the user).
 */
export async function checkBookTransfer(deps: Pick<BookTransferDeps, 'users' | 'pools'>, caller: Caller, fromUserId: string, input: BookTransferInput): Promise<ReturnType<typeof destinationOf>> {
  const destination = destinationOf(input, fromUserId);
  const from = await deps.users.get(caller.tenantId, fromUserId);
  if (!from) throw new NoSuchUser(fromUserId);
  const to = 'toUserId' in destination ? await deps.users.get(caller.tenantId, destination.toUserId) : undefined;
  if ('toUserId' in destination && (!to || !isActiveUser(to))) throw new ValidationFailed([{ path: 'toUserId', message: 'Not an active user of this tenant (see GET /users)' }]);
  if ('poolId' in destination && !(await deps.pools.get(caller.tenantId, destination.poolId))) {
    throw new ValidationFailed([{ path: 'poolId', message: 'No such pool' }]);
  }
  assertMayHandOver(caller, from, to);
  return destination;
}

/**
 * POST /users/{id}/transfer: starts handing the user's book over, committed with its
 * `crm.user.book-transfer-requested.v1`; the moves run in the background (runBookTransfer). Asking
 * again for the same destination while it runs answers the running one.
 */
export async function startBookTransfer(deps: BookTransferDeps, caller: Caller, fromUserId: string, input: BookTransferInput, correlationId: string): Promise<BookTransfer> {
  const destination = await checkBookTransfer(deps, caller, fromUserId, input);
  const nowIso = clock.nowIso();
  const transfer: BookTransfer = {
    id: newId(),
    fromUserId,
    toUserId: 'toUserId' in destination ? destination.toUserId : null,
    poolId: 'poolId' in destination ? destination.poolId : null,
    reason: input.reason ?? null,
    status: 'running',
    moved: 0,
    skipped: 0,
    rounds: 0,
    cursor: null,
    requestedBy: { userId: caller.userId, groups: caller.groups, teamId: caller.teamId ?? null },
    requestedAt: nowIso,
    finishedAt: null,
    updatedAt: nowIso,
  };
  const detail = newEvent(bookTransferRequestedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
    transferId: transfer.id,
    fromUserId,
    toUserId: transfer.toUserId,
    poolId: transfer.poolId,
  });
  if (await deps.transfers.start(caller.tenantId, transfer, { detailType: bookTransferRequestedV1.detailType, detail })) return transfer;
  const running = await deps.transfers.get(caller.tenantId, fromUserId);
  if (running && running.status === 'running' && running.toUserId === transfer.toUserId && running.poolId === transfer.poolId) return running;
  throw new BookTransferRunning(fromUserId, running?.id ?? 'unknown');
}

/** GET /users/{id}/transfer: the latest hand-over of the user's book, for whoever may start one and the user. */
export async function getBookTransfer(deps: Pick<BookTransferDeps, 'transfers' | 'users'>, caller: Caller, userId: string): Promise<BookTransfer> {
  const transfer = await deps.transfers.get(caller.tenantId, userId);
  if (!transfer) throw new NotFound(`No hand-over of ${userId}'s book`);
  if (caller.userId !== userId && !isAdmin(caller)) {
    const user = await deps.users.get(caller.tenantId, userId);
    assertMayHandOver(caller, { teamId: user?.teamId ?? null }, undefined);
  }
  return transfer;
}

/**
 * Rule target on `crm.user.book-transfer-requested.v1`: works the user's book down
 * a page at a time, each customer by the conditional write of an assignment (or a release) as the
 * requester, naming the user as the owner it takes from, so a customer that moved meanwhile is
 * skipped and none moves twice, however often an event is delivered or an invocation dies.
 * Progress is saved after every page; with little time left the next invocation goes on where
 * this one stopped (committed with the progress).
 */
export async function runBookTransfer(deps: BookTransferDeps, event: unknown, remainingMs: () => number): Promise<BookTransfer | undefined> {
  const busEvent = busEventSchema.parse(event);
  const parsed = bookTransferRequestedV1.schema.parse(busEvent.detail);
  const { tenantId, correlationId } = parsed;
  const stored = await deps.transfers.get(tenantId, parsed.data.fromUserId);
  if (!stored || stored.id !== parsed.data.transferId || stored.status !== 'running') return stored;

  let transfer: BookTransfer = { ...stored, rounds: stored.rounds + 1 };
  const caller = requesterOf(transfer, tenantId);
  for (;;) {
    const page = await deps.transfers.ownedPage(tenantId, transfer.fromUserId, PAGE, transfer.cursor ?? undefined);
    let { moved, skipped } = transfer;
    for (const customerId of page.customerIds) {
      try {
        if (transfer.toUserId) await assignCustomer(deps.ownership, caller, customerId, { ownerId: transfer.toUserId, fromOwnerId: transfer.fromUserId }, correlationId);
        else await releaseCustomer(deps.ownership, caller, customerId, { poolId: transfer.poolId!, reason: transfer.reason ?? 'Book handed over' }, correlationId, transfer.fromUserId);
        moved++;
      } catch (error) {
        // Moved meanwhile, gone, or refused (too many open deals): it stays as it is; anything else is retried.
        if (!(error instanceof DomainError)) throw error;
        skipped++;
      }
    }
    const nowIso = clock.nowIso();
    const done = page.next === undefined;
    transfer = { ...transfer, moved, skipped, cursor: page.next ?? null, updatedAt: nowIso, ...(done ? { status: 'done' as const, finishedAt: nowIso } : {}) };
    if (done) {
      await deps.transfers.progress(tenantId, transfer);
      logInfo('book hand-over done', { transferId: transfer.id, moved, skipped, rounds: transfer.rounds });
      return transfer;
    }
    if (remainingMs() < STOP_MARGIN_MS) {
      // The same request again (a new event): the next invocation goes on from the saved cursor.
      const detail = newEvent(bookTransferRequestedV1, { tenantId, actor: { type: 'system', id: 'book-transfer' }, correlationId }, {
        transferId: transfer.id,
        fromUserId: transfer.fromUserId,
        toUserId: transfer.toUserId,
        poolId: transfer.poolId,
      });
      await deps.transfers.progress(tenantId, transfer, { detailType: bookTransferRequestedV1.detailType, detail });
      return transfer;
    }
    await deps.transfers.progress(tenantId, transfer);
  }
}
