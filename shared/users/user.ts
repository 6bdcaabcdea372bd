import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import { email, text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { USER_ID_PATTERN } from '../id-formats';

/**
 * The tenant's user directory (issue 4): who a user id is (name, email, team), for the reclaim
 * digest emails and for assignment. Cognito stays the source of sign-in and groups; an admin keeps
 * these entries (a later issue can fill them from Cognito). Pure and free of the AWS SDK.
 */

export { USER_ID_PATTERN } from '../id-formats';

const teamId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected a team id such as emea-sales (letters, digits, - and _)'));

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
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

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
  return {
    userId,
    tenantId: caller.tenantId,
    email: input.email,
    name: input.name,
    teamId: input.teamId ?? null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
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
    createdAt: user.createdAt,
    createdBy: user.createdBy,
    updatedAt: user.updatedAt,
    updatedBy: user.updatedBy,
  };
}
