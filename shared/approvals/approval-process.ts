import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { APPROVAL_ID_PATTERN } from '../id-formats';
import type { ApprovalKind, StepMode } from './approval-policy';
import { ApprovalDecided, ApprovalNotFound, ProcessNotRunning } from './approval-errors';

/**
 * An approval process (docs/processes.md, "Approvals"): one request (a quote's discount, a
 * contract...) walking a chain of steps, each decided by its approvers. Pure: the states and the
 * transitions; the flow (infra/constructs/approval-flow.ts) and the use cases apply them.
 */

export type ProcessStatus = 'running' | 'approved' | 'rejected' | 'recalled' | 'stale';
export type StepStatus = 'waiting' | 'open' | 'approved' | 'rejected' | 'cancelled';
/** `closed`: its step or process ended without it; `escalated`: its time limit passed and a new approval took its place. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'closed' | 'escalated';
export type Decision = 'approved' | 'rejected';

/** What the process decides on: its kind of record, id and the version the approval is for. */
export type SubjectType = 'quote' | 'contract';

export interface ProcessSubject {
  /** A quote (`quote-discount`) or a contract (`contract`): its area settles it (approvals/wiring.ts routes by type). */
  type: SubjectType;
  id: string;
  version: number;
  /** What an approver reads in their inbox ("Quote Q-2026-0042, 12,400.00 EUR, max discount 25 %"). */
  summary: string;
}

export interface ProcessStep {
  name: string;
  mode: StepMode;
  /** Resolved when the process started (roles to their members, "manager" to the requester's). */
  approverIds: string[];
  timeLimitHours: number | null;
  status: StepStatus;
  openedAt: string | null;
  closedAt: string | null;
}

export type HistoryType = 'started' | 'step-opened' | 'approved' | 'rejected' | 'escalated' | 'recalled' | 'finished';

export interface HistoryEntry {
  at: string;
  type: HistoryType;
  /** Who acted (a user id, or `system`). */
  by: string;
  step?: number;
  comment?: string;
  /** A delegate's decision names the approver it was for. */
  onBehalfOf?: string;
  /** On `escalated`: whose approval it was, and who has it now. */
  from?: string;
  to?: string;
  /** On `finished`: the process's outcome. */
  outcome?: ProcessStatus;
}

export interface Process {
  id: string;
  kind: ApprovalKind;
  customerId: string;
  subject: ProcessSubject;
  requesterId: string;
  /** The policy rule that picked the chain. */
  rule: string;
  status: ProcessStatus;
  /** -1 until the first step opens. */
  currentStep: number;
  steps: ProcessStep[];
  /** The ids of whoever the open step waits on. */
  waitingOn: string[];
  history: HistoryEntry[];
  /** The open step's task token: deciding the step answers it, and the flow goes on. */
  taskToken: string | null;
  startedAt: string;
  endedAt: string | null;
  version: number;
}

/** One approver's part of one step: what their inbox lists and what they decide. */
export interface Approval {
  /** `<processId>-<step>-<slot>`: names its process, so deciding reads one item collection. */
  id: string;
  processId: string;
  kind: ApprovalKind;
  customerId: string;
  subject: ProcessSubject;
  requesterId: string;
  step: number;
  stepName: string;
  approverId: string;
  /** Set when `approverId` decides as a delegate. */
  onBehalfOf: string | null;
  status: ApprovalStatus;
  comment: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** When the step's time limit ends (escalation); null without a limit. */
  dueAt: string | null;
}

/** Body of POST /approvals/{id}/approve and /reject. */
export const decisionInput = z.strictObject({ comment: z.optional(z.string().check(z.maxLength(2000))) });

export const approvalId = (processId: string, step: number, slot: number) => `${processId}-${step}-${slot}`;

/** The process id an approval id names, or undefined for something that is not one. */
export function processIdOf(approvalIdValue: string): string | undefined {
  const match = APPROVAL_ID_PATTERN.exec(approvalIdValue);
  return match?.[1];
}

export function newProcess(fields: Omit<Process, 'status' | 'currentStep' | 'waitingOn' | 'history' | 'taskToken' | 'endedAt' | 'version'>): Process {
  return {
    ...fields,
    status: 'running',
    currentStep: -1,
    waitingOn: [],
    history: [{ at: fields.startedAt, type: 'started', by: fields.requesterId }],
    taskToken: null,
    endedAt: null,
    version: 1,
  };
}

/** What the flow carries of a process: enough to open its steps and end it without reading it. */
export type ProcessHead = Pick<Process, 'id' | 'kind' | 'customerId' | 'subject' | 'requesterId'>;

/**
 * The approvals of step `index` when it opens: one per approver, handed to their delegate when
 * they have one (`delegateOf`), due when the step's time limit ends.
 */
export function stepApprovals(head: ProcessHead, index: number, step: Pick<ProcessStep, 'name' | 'approverIds' | 'timeLimitHours'>, delegateOf: (userId: string) => string | undefined, now: Date): Approval[] {
  const at = now.toISOString();
  const dueAt = step.timeLimitHours === null ? null : new Date(now.getTime() + step.timeLimitHours * 3_600_000).toISOString();
  return step.approverIds.map((approverId, slot) => {
    const delegate = delegateOf(approverId);
    return {
      id: approvalId(head.id, index, slot),
      processId: head.id,
      kind: head.kind,
      customerId: head.customerId,
      subject: head.subject,
      requesterId: head.requesterId,
      step: index,
      stepName: step.name,
      approverId: delegate ?? approverId,
      onBehalfOf: delegate ? approverId : null,
      status: 'pending',
      comment: null,
      createdAt: at,
      decidedAt: null,
      dueAt,
    };
  });
}

export interface DecisionResult {
  process: Process;
  approval: Approval;
  /** The step's other approvals that leave their inboxes because the step closed. */
  closed: Approval[];
  /** Set when this decision closed the step. */
  stepOutcome?: Decision;
}

/**
 * One approver decides their approval. `any` steps close on the first decision; `all` steps on
 * the first rejection or the last approval. A decided approval, a closed step or an ended
 * process answers 409; someone else's approval is not found for the caller.
 */
export function decide(process: Process, approvals: readonly Approval[], id: string, caller: Caller, decision: Decision, comment: string | null, now: Date): DecisionResult {
  const approval = approvals.find((a) => a.id === id);
  if (!approval || approval.approverId !== caller.userId) throw new ApprovalNotFound(id);
  if (approval.status !== 'pending') throw new ApprovalDecided(id, approval.status);
  if (process.status !== 'running' || process.currentStep !== approval.step) throw new ProcessNotRunning(process.id, process.status);
  const at = now.toISOString();
  const decided: Approval = { ...approval, status: decision, comment, decidedAt: at };
  const step = process.steps[approval.step]!;
  const stepApprovals = approvals.filter((a) => a.step === approval.step && a.id !== id);
  const othersPending = stepApprovals.filter((a) => a.status === 'pending');
  const closes = decision === 'rejected' || step.mode === 'any' || othersPending.length === 0;
  const entry: HistoryEntry = { at, type: decision, by: caller.userId, step: approval.step, ...(comment ? { comment } : {}), ...(approval.onBehalfOf ? { onBehalfOf: approval.onBehalfOf } : {}) };
  const closed = closes ? othersPending.map((a) => ({ ...a, status: 'closed' as const })) : [];
  const steps = closes ? process.steps.map((s, i) => (i === approval.step ? { ...s, status: decision, closedAt: at } : s)) : process.steps;
  const waitingOn = closes ? [] : othersPending.map((a) => a.approverId);
  const next: Process = { ...process, steps, waitingOn, history: [...process.history, entry], taskToken: closes ? null : process.taskToken, version: process.version + 1 };
  return { process: next, approval: decided, closed, ...(closes ? { stepOutcome: decision } : {}) };
}

/** The requester takes the request back (or edits it): the process ends, open approvals leave the inboxes. */
export function recall(process: Process, approvals: readonly Approval[], by: string, now: Date, comment?: string) {
  if (process.status !== 'running') throw new ProcessNotRunning(process.id, process.status);
  const at = now.toISOString();
  const steps = process.steps.map((s) => (s.status === 'open' || s.status === 'waiting' ? { ...s, status: 'cancelled' as const, closedAt: at } : s));
  const next: Process = {
    ...process,
    status: 'recalled',
    steps,
    waitingOn: [],
    history: [...process.history, { at, type: 'recalled', by, ...(comment ? { comment } : {}) }, { at, type: 'finished', by: 'system', outcome: 'recalled' }],
    taskToken: null,
    endedAt: at,
    version: process.version + 1,
  };
  return { process: next, closed: approvals.filter((a) => a.status === 'pending').map((a) => ({ ...a, status: 'closed' as const })) };
}

/** The 360 view's and the API's shape of a process. */
export function processView(process: Process) {
  const { taskToken: _secret, ...rest } = process;
  const step = process.steps[process.currentStep];
  return { ...rest, currentStepName: process.status === 'running' && step ? step.name : null };
}

export function approvalView(approval: Approval) {
  return approval;
}
