import { approvalEscalatedV1 } from '../../events/processes/approval-escalated.v1';
import { clock } from '../clock';
import { logError, logInfo } from '../log';
import { type EventContext, newEvent } from '../outbox/outbox';
import type { DirectoryUser } from '../users/user';
import { escalate, escalationTarget } from './approval-escalation';
import type { ApprovalRepository, DueApproval } from './approval-repository';
import { subjectRef } from './approval-use-cases';

/**
 * The escalation sweep (docs/processes.md, "Escalation"): pending approvals whose step's time
 * limit passed (GSI2 `APPROVALDUE`) each go, once, to the manager of the approver they were for
 * (or an admin). Each is committed with its process over the version read, so a decision racing
 * the sweep and two sweeps racing each other meet at the process item: one wins, the other reads
 * again and finds nothing left to do (the decision then answers 409).
 */

/**
 * How often the sweep runs, so how late past its limit an approval may move: every 5 minutes on
 * prod and staging (limits are whole hours); every 15 on dev-like stages, within their idle budget
 * (docs/cost.md).
 */
export const ESCALATION_SWEEP_MINUTES = { persistent: 5, devLike: 15 } as const;
/** Approvals per Query page, and pages per run: the rest waits for the next run. */
const PAGE = 100;
const MAX_PAGES = 10;
/** Tries per approval when the process changes under the sweep. */
const ATTEMPTS = 3;

export interface EscalationDeps {
  approvals: Pick<ApprovalRepository, 'dueApprovals' | 'load' | 'approvalItem' | 'processItem' | 'eventItem' | 'commit'>;
  /** The tenant's whole directory (managers, admins, delegations), read once per tenant and run. */
  directory: (tenantId: string) => Promise<DirectoryUser[]>;
}

export interface EscalationRun {
  due: number;
  escalated: number;
  /** Decided, closed or escalated meanwhile: nothing left to do. */
  skipped: number;
  /** Nobody active to escalate to: the approval leaves the sweep's index and waits on its holder. */
  unescalated: number;
  failed: number;
}

const SWEEP_ACTOR = { type: 'system' as const, id: 'approval-escalation' };

export async function escalateOverdueApprovals(deps: EscalationDeps): Promise<EscalationRun> {
  const run: EscalationRun = { due: 0, escalated: 0, skipped: 0, unescalated: 0, failed: 0 };
  const seen = new Set<string>();
  const directories = new Map<string, Promise<DirectoryUser[]>>();
  const directoryOf = (tenantId: string) => directories.get(tenantId) ?? directories.set(tenantId, deps.directory(tenantId)).get(tenantId)!;
  for (let page = 0; page < MAX_PAGES; page++) {
    const nowIso = clock.nowIso();
    const due = await deps.approvals.dueApprovals(nowIso, PAGE);
    // An escalated approval leaves the due range (its successor is due later), so the next page is new work; one that stayed is not tried twice.
    const fresh = due.filter((d) => !seen.has(`${d.tenantId}#${d.approvalId}`));
    run.due += fresh.length;
    for (const d of fresh) {
      seen.add(`${d.tenantId}#${d.approvalId}`);
      try {
        run[await escalateOne(deps, d, directoryOf)] += 1;
      } catch (error) {
        logError('approvals: overdue approval not escalated', error, { ...d });
        run.failed += 1;
      }
    }
    if (due.length < PAGE || fresh.length === 0) break;
  }
  return run;
}

async function escalateOne(deps: EscalationDeps, due: DueApproval, directoryOf: (tenantId: string) => Promise<DirectoryUser[]>): Promise<'escalated' | 'skipped' | 'unescalated'> {
  const { tenantId } = due;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const loaded = await deps.approvals.load(tenantId, due.processId);
    const approval = loaded?.approvals.find((a) => a.id === due.approvalId);
    if (!loaded || !approval || approval.status !== 'pending') return 'skipped';
    const now = clock.now();
    const target = escalationTarget(approval, await directoryOf(tenantId), now);
    if (!target) {
      // Left in the index, it would be tried every run: it waits on its holder, as without a limit.
      const kept = await deps.approvals.commit([deps.approvals.approvalItem(tenantId, approval, 'close', { due: false })]);
      if (kept.outcome !== 'written') continue;
      logInfo('approvals: nobody active to escalate an overdue approval to', { tenantId, approvalId: approval.id });
      return 'unescalated';
    }
    const result = escalate(loaded.process, loaded.approvals, approval.id, target, now);
    if (!result) return 'skipped';
    const { process, escalated, opened } = result;
    const ctx: EventContext = { tenantId, actor: SWEEP_ACTOR, correlationId: `approval-escalation-${now.toISOString()}` };
    const written = await deps.approvals.commit([
      deps.approvals.approvalItem(tenantId, escalated, 'close'),
      deps.approvals.approvalItem(tenantId, opened, 'open'),
      deps.approvals.processItem(tenantId, process, loaded.process.version),
      deps.approvals.eventItem(tenantId, process.customerId, approvalEscalatedV1.detailType, newEvent(approvalEscalatedV1, ctx, {
        processId: process.id, approvalId: escalated.id, newApprovalId: opened.id, kind: process.kind, customerId: process.customerId, subject: subjectRef(process), step: escalated.step,
        fromApproverId: escalated.approverId, toApproverId: opened.approverId, onBehalfOf: opened.onBehalfOf, via: target.via, dueAt: escalated.dueAt!, newDueAt: opened.dueAt!, requesterId: process.requesterId,
      })),
    ]);
    if (written.outcome === 'written') return 'escalated';
    // A decision (or another sweep) came first: read again, which finds nothing left to do.
  }
  throw new Error(`Process ${due.processId} kept changing while approval ${due.approvalId} was escalated`);
}
