import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed } from '../errors';
import { parseLimit } from '../pagination';
import { canSetDelegate, type DelegateInput, delegationOf } from './delegation';
import type { IdentityProvider } from './identity-provider';
import {
  canListUsers,
  canManageUsers,
  canonicalGroups,
  canReadUser,
  checkManager,
  type DirectoryUser,
  type InviteUserInput,
  invitedUserEntry,
  parseUserId,
  type PutUserInput,
  type UpdateUserInput,
  USER_PAGE_SIZE,
  userEntry,
} from './user';
import type { UserDirectory, UserPage, WriteOutcome } from './user-repository';

export class UserNotFound extends NotFound {
  constructor(userId: string) {
    super(`User ${userId} is not in the directory`);
  }
}

/** The directory already has this user (an invitation sent twice). */
export class UserExists extends Conflict {
  override readonly slug = 'user-exists';
  constructor(email: string, userId: string) {
    super(`${email} is already a user of this tenant (${userId}); change them with PATCH /users/${userId}`);
    Object.assign(this.extensions, { userId });
  }
}

/** What inviting, changing and (de)activating users read and write. */
export interface UserAdminDeps {
  directory: Pick<UserDirectory, 'get' | 'create' | 'update' | 'setStatus'>;
  identity: IdentityProvider;
}

/**
 * Handing a leaver's book on (the allocation area's hand-over, wired in by the handler, so the
 * directory does not depend on allocation). `T` is the hand-over as that area answers it.
 */
export interface BookHandOver<T> {
  /** Customers the user owns now. */
  ownedCount(tenantId: string, userId: string): Promise<number>;
  /** The hand-over's checks (400 for a bad destination, 403), without starting it. */
  check(caller: Caller, userId: string, destination: HandOverDestination): Promise<void>;
  start(caller: Caller, userId: string, destination: HandOverDestination, correlationId: string): Promise<T>;
}

export interface HandOverDestination {
  toUserId?: string;
  poolId?: string;
  reason?: string;
}

function assertAdmin(caller: Caller): void {
  if (!canManageUsers(caller)) throw new Forbidden('Only an admin may change the user directory');
}

async function existing(directory: Pick<UserDirectory, 'get'>, tenantId: string, userId: string): Promise<DirectoryUser> {
  const user = await directory.get(tenantId, userId);
  if (!user) throw new UserNotFound(userId);
  return user;
}

/** PUT /users/{userId}: admins create or replace a directory entry. */
export async function putUser(directory: UserDirectory, caller: Caller, rawUserId: string | undefined, input: PutUserInput): Promise<{ user: DirectoryUser; created: boolean }> {
  assertAdmin(caller);
  const userId = parseUserId(rawUserId);
  return directory.put(userEntry(input, caller, userId, clock.nowIso()));
}

/**
 * POST /users: admins invite a user into their tenant: the sign-in (tenant attribute, groups,
 * invitation mail with a temporary password), then the directory entry under the id the identity
 * provider gave. A retry after a crash between the two finds the sign-in and completes the entry.
 */
export async function inviteUser(deps: UserAdminDeps, caller: Caller, input: InviteUserInput): Promise<DirectoryUser> {
  assertAdmin(caller);
  if (input.managerId !== undefined) checkManager(undefined, input.managerId, await deps.directory.get(caller.tenantId, input.managerId));
  const { userId } = await deps.identity.invite({ email: input.email, name: input.name, tenantId: caller.tenantId, teamId: input.teamId ?? null, groups: input.groups });
  const user = invitedUserEntry(input, caller, userId, clock.nowIso());
  if (!(await deps.directory.create(user))) throw new UserExists(input.email, userId);
  return user;
}

/**
 * PATCH /users/{userId}: admins change a user's name, groups, team or manager. Groups and team
 * reach the tokens at the user's next sign-in or token refresh; the directory changes at once.
 */
export async function updateUser(deps: UserAdminDeps, caller: Caller, rawUserId: string | undefined, input: UpdateUserInput, expectedVersion: number): Promise<DirectoryUser> {
  assertAdmin(caller);
  const userId = parseUserId(rawUserId);
  const before = await existing(deps.directory, caller.tenantId, userId);
  if (before.version !== expectedVersion) throw new StaleVersion('user', before.version);
  if (input.managerId) checkManager(userId, input.managerId, await deps.directory.get(caller.tenantId, input.managerId));
  if (input.name !== undefined || input.groups !== undefined || input.teamId !== undefined) {
    await deps.identity.update(userId, { name: input.name, groups: input.groups, teamId: input.teamId });
  }
  // Only the named fields are written: two admins changing different fields both keep theirs.
  const groups = input.groups && canonicalGroups(input.groups);
  return written(userId, await deps.directory.update(caller.tenantId, userId, { ...input, ...(groups ? { groups } : {}), updatedAt: clock.nowIso(), updatedBy: caller.userId }, expectedVersion));
}

/** The entry a write left, or why there is none: gone (404) or changed by someone else meanwhile (412). */
function written(userId: string, outcome: WriteOutcome): DirectoryUser {
  if (outcome.written) return outcome.user;
  if (outcome.currentVersion === undefined) throw new UserNotFound(userId);
  throw new StaleVersion('user', outcome.currentVersion);
}

/**
 * POST /users/{userId}/deactivate: the user can no longer sign in or call the API, nobody can give
 * them customers or tasks, and their book goes to `toUserId` or into `poolId` (required when they
 * own customers). The destination is checked before anything changes; every step is idempotent,
 * so a retry after a crash completes what the first call began.
 */
export async function deactivateUser<T>(
  deps: UserAdminDeps & { handOver: BookHandOver<T> },
  caller: Caller,
  rawUserId: string | undefined,
  destination: HandOverDestination,
  correlationId: string,
): Promise<{ user: DirectoryUser; transfer: T | null }> {
  assertAdmin(caller);
  const userId = parseUserId(rawUserId);
  if (userId === caller.userId) throw new ValidationFailed([{ path: 'path.userId', message: 'You cannot deactivate yourself: ask another admin' }]);
  const user = await existing(deps.directory, caller.tenantId, userId);
  const handsOver = destination.toUserId !== undefined || destination.poolId !== undefined;
  if (handsOver) {
    await deps.handOver.check(caller, userId, destination);
  } else {
    const owned = await deps.handOver.ownedCount(caller.tenantId, userId);
    if (owned > 0) throw new ValidationFailed([{ path: 'toUserId', message: `${user.name} owns ${owned} customer(s): name toUserId (a user to take them) or poolId (a pool to release them into)` }]);
  }
  await deps.identity.setEnabled(userId, false);
  const after = user.status === 'deactivated' ? user : written(userId, await deps.directory.setStatus(caller.tenantId, userId, 'deactivated', caller.userId, clock.nowIso()));
  const transfer = handsOver ? await deps.handOver.start(caller, userId, destination, correlationId) : null;
  return { user: after, transfer };
}

/** POST /users/{userId}/activate: a deactivated user may sign in and work again (their book stays where it went). */
export async function activateUser(deps: UserAdminDeps, caller: Caller, rawUserId: string | undefined): Promise<DirectoryUser> {
  assertAdmin(caller);
  const userId = parseUserId(rawUserId);
  const user = await existing(deps.directory, caller.tenantId, userId);
  await deps.identity.setEnabled(userId, true);
  if (user.status === 'active') return user;
  return written(userId, await deps.directory.setStatus(caller.tenantId, userId, 'active', caller.userId, clock.nowIso()));
}

/** GET /users: admins and managers, one page by user id. */
export async function listUsers(directory: UserDirectory, caller: Caller, query: Record<string, string | undefined>): Promise<UserPage> {
  if (!canListUsers(caller)) throw new Forbidden('Only admins and managers list the user directory');
  return directory.list(caller.tenantId, parseLimit(query.limit, USER_PAGE_SIZE.default, USER_PAGE_SIZE.max), query.cursor);
}

/** GET /users/{userId}: admins, managers, and the user themself. */
export async function getUser(directory: Pick<UserDirectory, 'get'>, caller: Caller, rawUserId: string | undefined): Promise<DirectoryUser> {
  const userId = parseUserId(rawUserId);
  if (!canReadUser(caller, userId)) throw new Forbidden('You may read your own directory entry only');
  return existing(directory, caller.tenantId, userId);
}

/**
 * PUT /users/{userId}/delegate (an input) or DELETE (null): a user names who decides their
 * approvals while they are away, or clears it; admins do it for anyone. The delegate is another
 * active user; the entry must exist (404).
 */
export async function setDelegate(
  directory: Pick<UserDirectory, 'get' | 'setDelegate'>,
  caller: Caller,
  rawUserId: string | undefined,
  input: DelegateInput | null,
): Promise<DirectoryUser> {
  const userId = parseUserId(rawUserId);
  if (!canSetDelegate(caller, userId)) throw new Forbidden('You may set your own delegate only (admins set anyone\'s)');
  const delegation = input && delegationOf(userId, input, input.delegateId === userId ? undefined : await directory.get(caller.tenantId, input.delegateId), clock.now());
  return written(userId, await directory.setDelegate(caller.tenantId, userId, delegation, caller.userId, clock.nowIso()));
}
