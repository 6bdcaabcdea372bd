import { Conflict } from '../errors';
import { type DirectoryUser, isActiveUser } from '../users/user';
import type { ApprovalRule, Approver } from './approval-policy';
import type { ProcessStep } from './approval-process';

/** A role step asks at most this many of its members (the first by user id). */
export const MAX_ROLE_APPROVERS = 25;

/** Nobody active can decide a step: the policy names no one who is there (409 at submit). */
export class NoApprover extends Conflict {
  override readonly slug = 'no-approver';
  constructor(step: string) {
    super(`Nobody active can approve step "${step}", and the tenant has no other admin: fix the approval policy or the user directory`);
  }
}

/**
 * The rule's chain with each approver resolved to user ids when the process starts: a role to its
 * active members, "manager" to the requester's manager, a user to themselves. The requester never
 * approves their own request; a step left with nobody goes to the tenant's admins
 * (docs/processes.md, "Approvals"). Pure: the caller reads the directory.
 */
export function resolveChain(rule: ApprovalRule, requesterId: string, directory: readonly DirectoryUser[]): ProcessStep[] {
  const active = directory.filter((u) => isActiveUser(u) && u.userId !== requesterId).sort((a, b) => a.userId.localeCompare(b.userId));
  const requester = directory.find((u) => u.userId === requesterId);
  const resolve = (approver: Approver): string[] => {
    if ('role' in approver) return active.filter((u) => u.groups.includes(approver.role)).map((u) => u.userId).slice(0, MAX_ROLE_APPROVERS);
    const id = 'userId' in approver ? approver.userId : requester?.managerId;
    return id && active.some((u) => u.userId === id) ? [id] : [];
  };
  return rule.steps.map((step, index) => {
    const name = step.name ?? `Step ${index + 1}`;
    let approverIds = [...new Set(step.approvers.flatMap(resolve))];
    if (approverIds.length === 0) approverIds = active.filter((u) => u.groups.includes('admin')).map((u) => u.userId).slice(0, MAX_ROLE_APPROVERS);
    if (approverIds.length === 0) throw new NoApprover(name);
    return { name, mode: step.mode, approverIds, timeLimitHours: step.timeLimitHours ?? null, status: 'waiting', openedAt: null, closedAt: null };
  });
}
