import * as z from 'zod/mini';
import { type Caller, type Group, GROUPS } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import { email, text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { USER_ID_PATTERN } from '../id-formats';
import type { Delegation } from './delegation';

/**
 * The tenant's user directory: who a user id is (name, email, team, manager, groups) and whether
 * they may still work here. `POST /users` invites a user into Cognito and the directory at once
 * (docs/users.md); `PUT /users/{id}` describes a user created in Cognito by hand. Cognito stays
 * the source of sign-in; the directory is what the CRM reads (names in responses, assignees,
 * digests). Pure and free of the AWS SDK.
 */

export { USER_ID_PATTERN } from '../id-formats';

const teamId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected a team id such as emea-sales (letters, digits, - and _)'));
/** A user id in a body (managerId, delegateId). */
export const userIdField = z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id (1-128 letters, digits or _ @ . : -)'));
const groups = z.array(z.enum(GROUPS)).check(z.minLength(1, 'Name at least one group'), z.maxLength(GROUPS.length));

/** Request body of POST /users: a new user of the caller's tenant, invited by mail. */
export const inviteUserInput = z.strictObject({
  email,
  name: text(200),
  groups,
  teamId: z.optional(teamId),
  managerId: z.optional(userIdField),
});
export type InviteUserInput = z.output<typeof inviteUserInput>;

/** Request body of PATCH /users/{userId}: what changes; null clears the team or the manager. */
export const updateUserInput = z
  .strictObject({
    name: z.optional(text(200)),
    groups: z.optional(groups),
    teamId: z.optional(z.nullable(teamId)),
    managerId: z.optional(z.nullable(userIdField)),
  })
  .check(z.refine((v) => Object.keys(v).length > 0, { message: 'Name at least one of name, groups, teamId, managerId', path: ['name'] }));
export type UpdateUserInput = z.output<typeof updateUserInput>;

export const USER_STATUSES = ['active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Request body of PUT /users/{userId}: the whole entry (a missing teamId clears it). */
export const putUserInput = z.strictObject({
  email,
  name: text(200),
  teamId: z.optional(z.nullable(teamId)),
});
export type PutUserInput = z.output<typeof putUserInput>;

export interface DirectoryUser {
  userId: string;
  tenantId: string;
  email: string;
  name: string;
  teamId: string | null;
  /** Who they report to: their manager's user id. */
  managerId: string | null;
  /** The Cognito groups they hold, as the directory last set them; empty for entries made by PUT (Cognito alone knows). */
  groups: Group[];
  /** A deactivated user cannot sign in, is refused by the API and cannot be given customers or tasks. */
  status: UserStatus;
  /** When they were invited through POST /users (null for entries made by PUT). */
  invitedAt: string | null;
  deactivatedAt: string | null;
  deactivatedBy: string | null;
  /** Who decides their approvals while they are away (docs/processes.md, "Delegation"); null: nobody. */
  delegate: Delegation | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** +1 per change; PATCH sends it back in If-Match (0 for an entry no write has touched since versions began). */
  version: number;
}

/** Each group once, in the order GROUPS lists them, however the request listed them. */
export const canonicalGroups = (groups: readonly Group[]): Group[] => GROUPS.filter((g) => groups.includes(g));

/** May be given customers, deals and tasks, and may call the API. */
export const isActiveUser = (user: Pick<DirectoryUser, 'status'>) => user.status !== 'deactivated';

export const USER_PAGE_SIZE = { default: 50, max: 100 } as const;

/** The path's user id, or 400 naming `path.userId`. */
export function parseUserId(value: string | undefined): string {
  if (value === undefined || !USER_ID_PATTERN.test(value)) {
    throw new ValidationFailed([{ path: 'path.userId', message: 'Expected a user id (1-128 letters, digits or _ @ . : -)' }]);
  }
  return value;
}

/** The entry after PUT; `createdAt`/`createdBy` stay those of the first PUT (the repository keeps them). */
export function userEntry(input: PutUserInput, caller: Caller, userId: string, nowIso: string): DirectoryUser {
  return newEntry(input, caller, userId, nowIso, { managerId: null, groups: [], invitedAt: null });
}

/** The entry of a user invited by POST /users, under the id Cognito gave them. */
export function invitedUserEntry(input: InviteUserInput, caller: Caller, userId: string, nowIso: string): DirectoryUser {
  return newEntry(input, caller, userId, nowIso, { managerId: input.managerId ?? null, groups: canonicalGroups(input.groups), invitedAt: nowIso });
}

function newEntry(
  input: Pick<InviteUserInput, 'email' | 'name'> & { teamId?: string | null },
  caller: Caller,
  userId: string,
  nowIso: string,
  how: Pick<DirectoryUser, 'managerId' | 'groups' | 'invitedAt'>,
): DirectoryUser {
  return {
    userId,
    tenantId: caller.tenantId,
    email: input.email,
    name: input.name,
    teamId: input.teamId ?? null,
    ...how,
    status: 'active',
    deactivatedAt: null,
    deactivatedBy: null,
    delegate: null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

/** A manager must be another user of the tenant who is still active (400 naming `managerId`). */
export function checkManager(userId: string | undefined, managerId: string | null | undefined, manager: DirectoryUser | undefined): void {
  if (managerId === undefined || managerId === null) return;
  if (managerId === userId) throw new ValidationFailed([{ path: 'managerId', message: 'A user cannot be their own manager' }]);
  if (!manager || !isActiveUser(manager)) throw new ValidationFailed([{ path: 'managerId', message: 'Not an active user of this tenant (see GET /users)' }]);
}

/** Admins keep the directory. */
export const canManageUsers = (caller: Caller) => isAdmin(caller);

/** Admins and managers (who assign customers) list the directory. */
export const canListUsers = (caller: Caller) => overseesReps(caller);

/** ... and every user reads their own entry. */
export const canReadUser = (caller: Caller, userId: string) => canListUsers(caller) || caller.userId === userId;

/** The public representation: no tenant, no keys. */
export function userView(user: DirectoryUser) {
  return {
    userId: user.userId,
    email: user.email,
    name: user.name,
    teamId: user.teamId,
    managerId: user.managerId,
    groups: user.groups,
    status: user.status,
    invitedAt: user.invitedAt,
    deactivatedAt: user.deactivatedAt,
    deactivatedBy: user.deactivatedBy,
    delegate: user.delegate,
    createdAt: user.createdAt,
    createdBy: user.createdBy,
    updatedAt: user.updatedAt,
    updatedBy: user.updatedBy,
    version: user.version,
  };
}
