import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { Forbidden, NotFound } from '../errors';
import { parseLimit } from '../pagination';
import { canListUsers, canManageUsers, canReadUser, type DirectoryUser, parseUserId, type PutUserInput, USER_PAGE_SIZE, userEntry } from './user';
import type { UserDirectory, UserPage } from './user-repository';

export class UserNotFound extends NotFound {
  constructor(userId: string) {
    super(`User ${userId} is not in the directory`);
  }
}

/** PUT /users/{userId}: admins create or replace a directory entry. */
export async function putUser(directory: UserDirectory, caller: Caller, rawUserId: string | undefined, input: PutUserInput): Promise<{ user: DirectoryUser; created: boolean }> {
  if (!canManageUsers(caller)) throw new Forbidden('Only an admin may change the user directory');
  const userId = parseUserId(rawUserId);
  return directory.put(userEntry(input, caller, userId, clock.nowIso()));
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
  const user = await directory.get(caller.tenantId, userId);
  if (!user) throw new UserNotFound(userId);
  return user;
}
