import { approvalDecidedV1 } from '../../events/processes/approval-decided.v1';
import { processCompletedV1 } from '../../events/processes/process-completed.v1';
import { processStepClosedV1 } from '../../events/processes/process-step-closed.v1';
import type { Caller } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import type { NamedItem } from '../aws/transact-write';
import { clock } from '../clock';
import { Conflict, Forbidden, StaleVersion, ValidationFailed } from '../errors';
import { callerEventContext, type EventContext, newEvent } from '../outbox/outbox';
import { ApprovalNotFound, ProcessNotFound, StaleApproval } from './approval-errors';
import { type ApprovalKind, type ApprovalPolicy, type ApprovalPolicyInput, policyErrors } from './approval-policy';
import { type Approval, type Decision, decide, type Process, type ProcessHead, processIdOf, recall } from './approval-process';
import type { ApprovalPage, ApprovalRepository } from './approval-repository';

/**
 * What a process decides on, seen from the approvals: the subject's area (quotes...) builds the
 * transaction items that keep it in step with its process, each named `subject`.
 */
export interface ProcessSubjects {
  /** Holds while the subject is still the version the process is for and still waits on it. */
  stillPending(tenantId: string, process: ProcessHead): NamedItem;
  /** The subject's change when its process ends with `outcome`, on the same condition. */
  settle(tenantId: string, process: ProcessHead, outcome: 'approved' | 'rejected'): NamedItem;
  /** A readable name for errors ("Quote Q-2026-0042"). */
  describe(process: ProcessHead): string;
}

export interface ApprovalDeps {
  approvals: ApprovalRepository;
  subjects: ProcessSubjects;
  currencyDecimals: (currency: string) => number | undefined;
}

export const APPROVAL_PAGE_SIZE = { default: 25, max: 100 } as const;

/** Deciding retries this often when another decision on the same step wins the race to the process item. */
const DECISION_ATTEMPTS = 4;

export async function getApprovalPolicy(deps: ApprovalDeps, caller: Caller, kind: ApprovalKind): Promise<ApprovalPolicy> {
  if (!overseesReps(caller)) throw new Forbidden('Approval policies are for admins and managers to read');
  return deps.approvals.policy(caller.tenantId, kind);
}

/** Admins replace a kind's policy; `If-Match` carries the version read (0 for the built-in default). */
export async function putApprovalPolicy(deps: ApprovalDeps, caller: Caller, kind: ApprovalKind, input: ApprovalPolicyInput, expectedVersion: number | undefined) {
  if (!isAdmin(caller)) throw new Forbidden('Only admins set approval policies');
  const errors = policyErrors(input, deps.currencyDecimals);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const current = await deps.approvals.policy(caller.tenantId, kind);
  const expected = expectedVersion ?? current.version;
  if (expected !== current.version) throw new StaleVersion('approval policy', current.version);
  const policy: ApprovalPolicy = { kind, rules: input.rules, version: current.version + 1, updatedAt: clock.nowIso(), updatedBy: caller.userId };
  if (!(await deps.approvals.putPolicy(caller.tenantId, policy, expected))) throw new StaleVersion('approval policy', (await deps.approvals.policy(caller.tenantId, kind)).version);
  return policy;
}

/** An approver's inbox (`assignee=me`); managers and admins may read someone else's. */
export async function listApprovals(deps: ApprovalDeps, caller: Caller, query: { assignee?: string; status?: 'pending' | 'done'; limit?: number; cursor?: string }): Promise<ApprovalPage> {
  const assignee = !query.assignee || query.assignee === 'me' ? caller.userId : query.assignee;
  if (assignee !== caller.userId && !overseesReps(caller)) throw new Forbidden("Only managers and admins read another user's approvals");
  return deps.approvals.inbox(caller.tenantId, assignee, query.status ?? 'pending', query.limit ?? APPROVAL_PAGE_SIZE.default, query.cursor);
}

/** A process with its approvals, for its requester, its approvers, and managers and admins. */
export async function getProcess(deps: ApprovalDeps, caller: Caller, processId: string) {
  const loaded = await deps.approvals.load(caller.tenantId, processId);
  const involved = loaded && (loaded.process.requesterId === caller.userId || loaded.approvals.some((a) => a.approverId === caller.userId || a.onBehalfOf === caller.userId));
  if (!loaded || (!involved && !overseesReps(caller))) throw new ProcessNotFound(processId);
  return loaded;
}

/**
 * An approver decides: one Query for the process with its approvals, one transaction for the
 * approval, the process, the subject's check and the events. Two decisions racing for one step
 * meet at the process item's version: the loser reads again and finds the step closed (409).
 */
export async function decideApproval(deps: ApprovalDeps, caller: Caller, id: string, decision: Decision, comment: string | null, correlationId: string): Promise<{ approval: Approval; process: Process }> {
  const processId = processIdOf(id);
  if (!processId) throw new ApprovalNotFound(id);
  for (let attempt = 1; ; attempt++) {
    const loaded = await deps.approvals.load(caller.tenantId, processId);
    if (!loaded) throw new ApprovalNotFound(id);
    const result = decide(loaded.process, loaded.approvals, id, caller, decision, comment, clock.now());
    const ctx = callerEventContext(caller, correlationId);
    const { process, approval } = result;
    const events = [
      deps.approvals.eventItem(caller.tenantId, process.customerId, approvalDecidedV1.detailType, newEvent(approvalDecidedV1, ctx, {
        processId: process.id, approvalId: approval.id, kind: process.kind, customerId: process.customerId, subject: subjectRef(process), step: approval.step,
        decision, approverId: caller.userId, onBehalfOf: approval.onBehalfOf, hasComment: Boolean(comment), stepOutcome: result.stepOutcome ?? null,
      })),
    ];
    if (result.stepOutcome) events.push(stepClosedItem(deps, ctx, loaded.process, approval.step, result.stepOutcome));
    const items: NamedItem[] = [
      deps.approvals.approvalItem(caller.tenantId, approval, 'decide'),
      ...result.closed.map((a) => deps.approvals.approvalItem(caller.tenantId, a, 'close')),
      deps.approvals.processItem(caller.tenantId, process, loaded.process.version),
      deps.subjects.stillPending(caller.tenantId, loaded.process),
      ...events,
    ];
    const written = await deps.approvals.commit(items);
    if (written.outcome === 'written') return { approval, process };
    if (written.item === 'subject') throw new StaleApproval(deps.subjects.describe(loaded.process), loaded.process.subject.version);
    // The approval or the process moved meanwhile: read again, which answers 409 if the step is decided.
    if (attempt >= DECISION_ATTEMPTS) throw new Conflict('The process kept changing while your decision was written; read it and decide again');
  }
}

/**
 * The requester (or an admin) takes the request back: the process ends as recalled, its open
 * approvals leave the inboxes, the subject returns to its owner, and the flow is told to stop.
 * `extra` are the subject's own items when recalling is part of its change (an edit).
 */
export function recallItems(deps: ApprovalDeps, tenantId: string, loaded: { process: Process; approvals: Approval[] }, by: Caller, correlationId: string, comment?: string): NamedItem[] {
  const { process, closed } = recall(loaded.process, loaded.approvals, by.userId, clock.now(), comment);
  const ctx = callerEventContext(by, correlationId);
  const items: NamedItem[] = [
    deps.approvals.processItem(tenantId, process, loaded.process.version),
    ...closed.map((a) => deps.approvals.approvalItem(tenantId, a, 'close')),
    deps.approvals.eventItem(tenantId, process.customerId, processCompletedV1.detailType, newEvent(processCompletedV1, ctx, {
      processId: process.id, kind: process.kind, customerId: process.customerId, subject: subjectRef(process), outcome: 'recalled', requesterId: process.requesterId,
    })),
  ];
  if (loaded.process.currentStep >= 0 && loaded.process.taskToken) items.push(stepClosedItem(deps, ctx, loaded.process, loaded.process.currentStep, 'recalled'));
  return items;
}

function stepClosedItem(deps: ApprovalDeps, ctx: EventContext, process: Process, step: number, outcome: 'approved' | 'rejected' | 'recalled'): NamedItem {
  return deps.approvals.eventItem(ctx.tenantId, process.customerId, processStepClosedV1.detailType, newEvent(processStepClosedV1, ctx, {
    processId: process.id, customerId: process.customerId, step, outcome, taskToken: process.taskToken ?? '',
  }));
}

export const subjectRef = (process: Pick<Process, 'subject'>) => ({ type: process.subject.type, id: process.subject.id, version: process.subject.version });
