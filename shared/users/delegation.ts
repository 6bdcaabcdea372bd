import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { ValidationFailed } from '../errors';
import { type DirectoryUser, isActiveUser, userIdField } from './user';

/**
 * Delegation while out of office (docs/processes.md, "Delegation"): a user names who decides their
 * approvals until a time (or until they clear it). It is read when an approval step opens, so it
 * hands over approvals asked while it holds; approvals already in the user's inbox stay theirs.
 * Pure: the checks and the rule of when a delegation holds.
 */

export interface Delegation {
  userId: string;
  /** When it ends (ISO 8601, UTC); null: until the user clears it. */
  until: string | null;
}

/** Body of PUT /users/{userId}/delegate. DELETE /users/{userId}/delegate clears it. */
export const delegateInput = z.strictObject({
  delegateId: userIdField,
  until: z.optional(z.iso.datetime({ offset: true })),
});
export type DelegateInput = z.output<typeof delegateInput>;

/** Users set their own delegation; admins anyone's (someone left without setting theirs). */
export const canSetDelegate = (caller: Caller, userId: string) => caller.userId === userId || isAdmin(caller);

/**
 * The delegation to store: the delegate is another active user of the directory (400 naming
 * `delegateId`), and its end is ahead of `now` (400 naming `until`).
 */
export function delegationOf(userId: string, input: DelegateInput, delegate: Pick<DirectoryUser, 'status'> | undefined, now: Date): Delegation {
  if (input.delegateId === userId) throw new ValidationFailed([{ path: 'delegateId', message: 'A user cannot delegate to themself' }]);
  if (!delegate || !isActiveUser(delegate)) throw new ValidationFailed([{ path: 'delegateId', message: 'Not an active user of this tenant (see GET /users)' }]);
  const until = input.until === undefined ? null : new Date(input.until);
  if (until && until.getTime() <= now.getTime()) throw new ValidationFailed([{ path: 'until', message: 'Must be in the future' }]);
  return { userId: input.delegateId, until: until ? until.toISOString() : null };
}

/** The delegation holds at `now`: it has no end, or its end is still ahead. */
export const isDelegationActive = (delegation: Delegation | null | undefined, now: Date): delegation is Delegation =>
  Boolean(delegation && (delegation.until === null || Date.parse(delegation.until) > now.getTime()));

/**
 * Who receives an approver's approval in a step opening at `now`: their delegate while the
 * delegation holds, unless the delegate is the requester (nobody approves their own request);
 * undefined: the approver themself.
 */
export function delegateFor(delegation: Delegation | null | undefined, requesterId: string, now: Date): string | undefined {
  if (!isDelegationActive(delegation, now) || delegation.userId === requesterId) return undefined;
  return delegation.userId;
}

/** A stored `delegate` attribute as a Delegation; entries from before delegation have none. */
export function toDelegation(value: unknown): Delegation | null {
  if (!value || typeof value !== 'object') return null;
  const { userId, until } = value as Record<string, unknown>;
  return typeof userId === 'string' ? { userId, until: typeof until === 'string' ? until : null } : null;
}
