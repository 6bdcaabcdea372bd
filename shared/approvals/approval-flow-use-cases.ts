import type { StartedProcess } from '../../events/processes/process-started.v1';
import { approvalRequestedV1 } from '../../events/processes/approval-requested.v1';
import { processCompletedV1 } from '../../events/processes/process-completed.v1';
import type { ProcessStepClosedV1 } from '../../events/processes/process-step-closed.v1';
import { clock } from '../clock';
import { type Delegation, delegateFor, toDelegation } from '../users/delegation';
import { logInfo } from '../log';
import { type EventContext, newEvent } from '../outbox/outbox';
import { type ProcessHead, stepApprovals } from './approval-process';
import { type ApprovalRepository, NO_DELEGATION_PREFIX } from './approval-repository';
import { type ProcessSubjects, subjectRef } from './approval-use-cases';

/**
 * The approval flow's tasks (infra/constructs/approval-flow.ts, docs/processes.md): open a step and
 * wait on its token, end the process, and answer the waiting step when a decision closed it. The
 * flow carries the chain, so the usual path writes without reading; a replay (a retried task, a
 * local restart, a second start of one process) finds its position in the table instead.
 */
export interface ApprovalFlowDeps {
  approvals: ApprovalRepository;
  subjects: ProcessSubjects;
  /** SendTaskSuccess; false when the token is gone. */
  answer: (taskToken: string, output: { outcome: string }) => Promise<boolean>;
}

/** What each of the flow's tasks receives (the Prepare state builds it from the started event). */
export interface FlowState {
  tenantId: string;
  correlationId: string;
  process: StartedProcess;
}

/** How a step ended, as the flow's Choice reads it: `ended` when the process ended some other way. */
export type StepOutcome = 'approved' | 'rejected' | 'recalled' | 'ended';

const flowContext = (state: FlowState): EventContext => ({ tenantId: state.tenantId, actor: { type: 'system', id: 'approval-flow' }, correlationId: state.correlationId });

function headOf(p: StartedProcess): ProcessHead {
  return { id: p.processId, kind: p.kind, customerId: p.customerId, subject: p.subject, requesterId: p.requesterId };
}

/**
 * The process's head where it is now, when its customer was merged into another since it started
 * (the merge moved the process, and its subject, to the survivor's partition): the flow carries the
 * customer it started with, so a write keyed by it misses. Undefined when the process did not move.
 */
async function movedHead(deps: Pick<ApprovalFlowDeps, 'approvals'>, tenantId: string, head: ProcessHead): Promise<ProcessHead | undefined> {
  const loaded = await deps.approvals.load(tenantId, head.id);
  return loaded && loaded.process.customerId !== head.customerId ? { ...head, customerId: loaded.process.customerId } : undefined;
}

/**
 * Opens step `step` and hands its token to the process item; the decision that closes the step
 * answers it. Approvers hand their approval to a delegate while a delegation holds: the commit
 * checks that none does (one request, no read); when some does, the failed checks return the
 * approvers' entries, and the step opens again with their delegates.
 */
export async function openApprovalStep(deps: ApprovalFlowDeps, input: FlowState & { step: number; taskToken: string }): Promise<void> {
  const { tenantId, process: started, step, taskToken } = input;
  const spec = started.steps[step];
  if (!spec) throw new RangeError(`Process ${started.processId} has no step ${step}`);
  let head = headOf(started);
  const now = clock.now();
  const open = (delegations: ReadonlyMap<string, Delegation> | undefined) => {
    const approvals = stepApprovals(head, step, spec, (id) => delegateFor(delegations?.get(id), head.requesterId, now), now);
    const entry = { at: now.toISOString(), type: 'step-opened' as const, by: 'system', step };
    return deps.approvals.commit([
      deps.approvals.openStepItem(tenantId, head, step, approvals.map((a) => a.approverId), taskToken, entry),
      ...approvals.map((a) => deps.approvals.approvalItem(tenantId, a, 'open')),
      ...(delegations ? [] : spec.approverIds.map((id) => deps.approvals.noDelegationCheck(tenantId, id, now.toISOString()))),
      deps.approvals.eventItem(tenantId, head.customerId, approvalRequestedV1.detailType, newEvent(approvalRequestedV1, flowContext(input), {
        processId: head.id, kind: head.kind, customerId: head.customerId, subject: subjectRef(head), step, approverIds: approvals.map((a) => a.approverId), requesterId: head.requesterId, dueAt: approvals[0]?.dueAt ?? null,
      })),
    ]);
  };
  let written = await open(undefined);
  const moved = written.outcome === 'condition-failed' && written.item === 'process' ? await movedHead(deps, tenantId, head) : undefined;
  if (moved) {
    head = moved;
    written = await open(undefined);
  }
  if (written.outcome === 'condition-failed' && written.failures.every((f) => f.name.startsWith(NO_DELEGATION_PREFIX))) {
    const delegations = new Map(
      written.failures.flatMap((f) => {
        const delegation = toDelegation(f.current?.delegate);
        return delegation ? [[f.name.slice(NO_DELEGATION_PREFIX.length), delegation] as const] : [];
      }),
    );
    written = await open(delegations);
  }
  if (written.outcome === 'written') return;
  await reconcile(deps, input);
}

/** The step did not open as planned: the process is elsewhere. Wait where it is, or tell the flow how the step ended. */
async function reconcile(deps: ApprovalFlowDeps, input: FlowState & { step: number; taskToken: string }): Promise<void> {
  const { tenantId, process: started, step, taskToken } = input;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const loaded = await deps.approvals.load(tenantId, started.processId);
    if (!loaded) throw new Error(`Process ${started.processId} is not in the table`);
    const { process } = loaded;
    let outcome: StepOutcome | undefined;
    if (process.status !== 'running') outcome = 'ended';
    else if (process.currentStep > step) outcome = 'approved';
    else if (process.currentStep === step) {
      const status = process.steps[step]!.status;
      if (status === 'approved' || status === 'rejected') outcome = status;
      else if (status === 'open') {
        // Waiting already (this is a replay): wait here with this token instead.
        if (await deps.approvals.adoptToken(tenantId, process, step, taskToken)) return void logInfo('approval step adopted by a replayed flow', { processId: process.id, step });
        continue;
      }
    }
    if (!outcome) throw new Error(`Process ${process.id} is at step ${process.currentStep}, before the flow's step ${step}`);
    await deps.answer(taskToken, { outcome });
    return;
  }
  throw new Error(`Process ${started.processId} kept changing while its flow caught up`);
}

/**
 * The flow's end: the process takes the chain's outcome and the subject follows in the same
 * commit, unless the subject changed meanwhile (the process is then `stale` and the subject stays
 * as its editor left it). A recalled or already ended process is left as it is.
 */
export async function finishApprovalProcess(deps: ApprovalFlowDeps, input: FlowState & { outcome: StepOutcome }): Promise<{ status: string }> {
  const { tenantId, process: started, outcome } = input;
  if (outcome === 'recalled' || outcome === 'ended') return { status: outcome };
  let head = headOf(started);
  const at = clock.nowIso();
  const completed = (status: 'approved' | 'rejected' | 'stale') =>
    deps.approvals.eventItem(tenantId, head.customerId, processCompletedV1.detailType, newEvent(processCompletedV1, flowContext(input), {
      processId: head.id, kind: head.kind, customerId: head.customerId, subject: subjectRef(head), outcome: status, requesterId: head.requesterId,
    }));
  const finish = () => deps.approvals.commit([deps.approvals.finishItem(tenantId, head, outcome, at), deps.subjects.settle(tenantId, head, outcome), completed(outcome)]);
  let written = await finish();
  const moved = written.outcome === 'condition-failed' && written.item === 'process' ? await movedHead(deps, tenantId, head) : undefined;
  if (moved) {
    head = moved;
    written = await finish();
  }
  if (written.outcome === 'written') return { status: outcome };
  if (written.item !== 'subject') return { status: 'ended' };
  const stale = await deps.approvals.commit([deps.approvals.finishItem(tenantId, head, 'stale', at), completed('stale')]);
  return { status: stale.outcome === 'written' ? 'stale' : 'ended' };
}

/** On crm.process.step-closed.v1: the flow waiting on the step goes on. A gone token means nothing waits any more. */
export async function resumeApprovalFlow(deps: Pick<ApprovalFlowDeps, 'answer'>, event: { detail: ProcessStepClosedV1 }): Promise<void> {
  const { taskToken, outcome, processId } = event.detail.data;
  if (!taskToken) return;
  if (!(await deps.answer(taskToken, { outcome }))) logInfo('approval flow no longer waits on this step', { processId, outcome });
}
