import { delegateFor } from '../users/delegation';
import { type DirectoryUser, isActiveUser } from '../users/user';
import { type Approval, approvalId, type HistoryEntry, type Process } from './approval-process';

/**
 * Escalation of an approval past its step's time limit (docs/processes.md, "Escalation"): who
 * receives it, and the process and approvals after it moved. Pure: the sweep reads the process and
 * the directory and commits what this returns.
 */

/** Slots of one step: approval ids stay `<processId>-<step>-<slot>` with slot < 1000. */
export const MAX_SLOTS = 1000;

export interface EscalationTarget {
  /** Who decides the new approval. */
  approverId: string;
  /** Set when `approverId` is the target's delegate. */
  onBehalfOf: string | null;
  /** How the target was found. */
  via: 'manager' | 'admin';
}

/**
 * Whom an overdue approval goes to: the manager (directory `managerId`) of the approver it was
 * for (the absent approver when a delegate held it); with no active manager, the first active admin
 * by user id. Never the requester, never whoever held it. The target's own active delegation is
 * followed, as when a step opens. Undefined: nobody to escalate to.
 */
export function escalationTarget(approval: Pick<Approval, 'approverId' | 'onBehalfOf' | 'requesterId'>, directory: readonly DirectoryUser[], now: Date): EscalationTarget | undefined {
  const owner = approval.onBehalfOf ?? approval.approverId;
  const eligible = (u: DirectoryUser | undefined): u is DirectoryUser =>
    Boolean(u && isActiveUser(u) && u.userId !== approval.requesterId && u.userId !== approval.approverId && u.userId !== owner);
  const managerId = directory.find((u) => u.userId === owner)?.managerId;
  const manager = directory.find((u) => u.userId === managerId);
  const admin = directory.filter((u) => eligible(u) && u.groups.includes('admin')).sort((a, b) => a.userId.localeCompare(b.userId))[0];
  const target = eligible(manager) ? { user: manager, via: 'manager' as const } : admin ? { user: admin, via: 'admin' as const } : undefined;
  if (!target) return undefined;
  const delegate = delegateFor(target.user.delegate, approval.requesterId, now);
  const handed = delegate && delegate !== approval.approverId ? delegate : undefined;
  return { approverId: handed ?? target.user.userId, onBehalfOf: handed ? target.user.userId : null, via: target.via };
}

export interface EscalationResult {
  process: Process;
  /** The overdue approval, now `escalated`. */
  escalated: Approval;
  /** Its successor in the same step, pending, due after the same time limit. */
  opened: Approval;
}

/**
 * The overdue approval leaves its holder's inbox as `escalated` and a new pending approval in the
 * same step (the next free slot) goes to `target`, due when the step's time limit passes again; the
 * history says who had it and who has it now, and `waitingOn` follows. Undefined when there is
 * nothing to escalate: decided meanwhile, its step closed, not due yet, or the step out of slots.
 */
export function escalate(process: Process, approvals: readonly Approval[], id: string, target: Pick<EscalationTarget, 'approverId' | 'onBehalfOf'>, now: Date): EscalationResult | undefined {
  const approval = approvals.find((a) => a.id === id);
  if (!approval || approval.status !== 'pending' || !approval.dueAt || Date.parse(approval.dueAt) > now.getTime()) return undefined;
  if (process.status !== 'running' || process.currentStep !== approval.step) return undefined;
  const inStep = approvals.filter((a) => a.step === approval.step);
  const slot = Math.max(...inStep.map((a) => Number(a.id.slice(a.id.lastIndexOf('-') + 1)))) + 1;
  if (slot >= MAX_SLOTS) return undefined;
  const at = now.toISOString();
  // The step's limit again; an approval from before limits were kept on steps keeps its own span.
  const limitMs = (process.steps[approval.step]?.timeLimitHours ?? 0) * 3_600_000 || Date.parse(approval.dueAt) - Date.parse(approval.createdAt);
  const escalated: Approval = { ...approval, status: 'escalated', decidedAt: at };
  const opened: Approval = {
    ...approval,
    id: approvalId(process.id, approval.step, slot),
    approverId: target.approverId,
    onBehalfOf: target.onBehalfOf,
    status: 'pending',
    comment: null,
    createdAt: at,
    decidedAt: null,
    dueAt: new Date(now.getTime() + limitMs).toISOString(),
  };
  const entry: HistoryEntry = { at, type: 'escalated', by: 'system', step: approval.step, from: approval.approverId, to: opened.approverId, ...(opened.onBehalfOf ? { onBehalfOf: opened.onBehalfOf } : {}) };
  const waitingOn = [...inStep.filter((a) => a.status === 'pending' && a.id !== id).map((a) => a.approverId), opened.approverId];
  return {
    process: { ...process, waitingOn: [...new Set(waitingOn)], history: [...process.history, entry], version: process.version + 1 },
    escalated,
    opened,
  };
}
