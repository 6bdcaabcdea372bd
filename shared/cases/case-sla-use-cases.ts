import { caseSlaBreachedV1 } from '../../events/cases/case-sla-breached.v1';
import { caseSlaWarningV1 } from '../../events/cases/case-sla-warning.v1';
import { busEventSchema } from '../../events/envelope';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import { logError } from '../log';
import { newEvent } from '../outbox/outbox';
import { dueSlaAlerts, type SlaAlert, type SlaTargetName, withSlaAlerts } from '../sla/case-sla';
import type { SlaPolicyRecord } from '../sla/sla-policies';
import type { DirectoryUser } from '../users/user';
import { type Case, CLOSING_ACTOR_ID, closedAfterWindow, isActive } from './case';
import { changeEvents } from './case-use-cases';
import type { CaseEvent, CaseRepository, DueSlaCase } from './case-repository';

/**
 * SLA warnings and breaches (docs/service.md, "SLA policies"). The sweep, every minute on prod, reads the
 * cases whose next alert has come (GSI2 `CASESLA`) and commits each alert with the case, over the
 * version it read: the case's `warnedAt` / `breachedAt` and the event go in one transaction, so
 * two sweeps (or a sweep and an agent's write) never both raise it, and a crash loses neither.
 * The escalation mail is a rule on those events, sent once per event and recipient.
 */

/**
 * How often the sweep runs, so how late an alert may be raised: every minute on prod and staging;
 * every 15 minutes on dev-like stages, which must stay within their idle budget (docs/cost.md:
 * a sweep every minute would cost $0.033 a month at idle and take a dev-like stage over its $0.10).
 */
export const SLA_SWEEP_MINUTES = { persistent: 1, devLike: 15 } as const;
/** Cases per Query page, and pages per run: what one run raises before the next minute's takes over. */
const PAGE = 100;
const MAX_PAGES = 10;

export interface SlaSweepDeps {
  cases: Pick<CaseRepository, 'dueSlaAlerts' | 'get' | 'change'>;
}

export interface SlaSweepRun {
  due: number;
  warnings: number;
  breaches: number;
  /** Resolved cases whose reopen window ended, closed. */
  closed: number;
  /** Changed since the Query (another write or sweep came first), gone, or nothing due after all. */
  skipped: number;
  failed: number;
}

const SWEEP_ACTOR = { type: 'system' as const, id: 'sla-sweep' };

export async function raiseDueSlaAlerts(deps: SlaSweepDeps): Promise<SlaSweepRun> {
  const run: SlaSweepRun = { due: 0, warnings: 0, breaches: 0, closed: 0, skipped: 0, failed: 0 };
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const nowIso = clock.nowIso();
    const due = await deps.cases.dueSlaAlerts(nowIso, PAGE);
    // A case whose alert was raised leaves the due range (or moves later), so the next page is new work; one that stayed is not tried twice.
    const fresh = due.filter((d) => !seen.has(`${d.tenantId}#${d.caseId}`));
    run.due += fresh.length;
    for (const d of fresh) {
      seen.add(`${d.tenantId}#${d.caseId}`);
      try {
        const raised = await raise(deps, d, nowIso);
        if (raised === 'closed') run.closed += 1;
        else if (raised.length === 0) run.skipped += 1;
        else for (const alert of raised) run[alert.kind === 'warning' ? 'warnings' : 'breaches'] += 1;
      } catch (error) {
        logError('cases: SLA alert not raised', error, { tenantId: d.tenantId, caseId: d.caseId });
        run.failed += 1;
      }
    }
    if (due.length < PAGE || fresh.length === 0) break;
  }
  return run;
}

/**
 * The due work of one case, committed with it over the version read: an active case's alerts, or
 * the closing of a resolved case whose reopen window ended; nothing when it changed meanwhile.
 */
async function raise(deps: SlaSweepDeps, due: DueSlaCase, nowIso: string): Promise<SlaAlert[] | 'closed'> {
  const found = await deps.cases.get(due.tenantId, due.caseId, false);
  if (!found) return [];
  const current = found.case;
  const closed = closedAfterWindow(current, nowIso);
  if (closed) return (await close(deps, current, closed, nowIso)) ? 'closed' : [];
  const alerts = isActive(current.status) ? dueSlaAlerts(current.sla, nowIso) : [];
  if (!current.sla || alerts.length === 0) return [];
  // Not an edit by anyone: updatedAt/updatedBy stay; the version moves so no write from an older copy undoes the flags.
  const after: Case = { ...current, sla: withSlaAlerts(current.sla, alerts, nowIso), version: current.version + 1 };
  const context = { tenantId: current.tenantId, actor: SWEEP_ACTOR, correlationId: `sla-sweep-${nowIso}` };
  const events: CaseEvent[] = alerts.map((alert) => {
    const data = { caseId: current.id, customerId: current.customerId, target: alert.target, dueAt: alert.dueAt, policyId: current.sla!.policyId, priority: current.priority, assigneeId: current.assigneeId };
    return alert.kind === 'warning'
      ? { detailType: caseSlaWarningV1.detailType, detail: newEvent(caseSlaWarningV1, context, data) }
      : { detailType: caseSlaBreachedV1.detailType, detail: newEvent(caseSlaBreachedV1, context, data) };
  });
  const outcome = await deps.cases.change(after, current.version, undefined, events);
  return outcome.outcome === 'written' ? alerts : [];
}

/** A resolved case closed at the end of its reopen window, with its status change on the timeline. */
async function close(deps: SlaSweepDeps, current: Case, closed: Case, nowIso: string): Promise<boolean> {
  const context = { tenantId: current.tenantId, actor: { type: 'system' as const, id: CLOSING_ACTOR_ID }, correlationId: `case-closing-${nowIso}` };
  const outcome = await deps.cases.change(closed, current.version, undefined, changeEvents(current, closed, undefined, context));
  return outcome.outcome === 'written';
}

// ---- escalation by mail ----------------------------------------------------------------------

/** The side effect's name; its markers (`$DONE#sla-escalation#<eventId>#<userId>`) sit in the customer's partition. */
export const SLA_ESCALATION_EFFECT = 'sla-escalation';

export interface SlaEscalationDeps {
  cases: Pick<CaseRepository, 'get'>;
  policies: { recordFor(tenantId: string, policyId: string): Promise<SlaPolicyRecord | undefined> };
  users: {
    get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'userId' | 'email' | 'name' | 'status' | 'managerId'> | undefined>;
    /** The tenant's active users in the manager group, as the directory knows them. */
    managers(tenantId: string): Promise<Pick<DirectoryUser, 'userId' | 'email' | 'name'>[]>;
  };
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
}

export type SlaEscalationResult = { status: 'sent'; to: string[]; alreadySent: string[] } | { status: 'no-recipient' };

type Recipient = { userId: string; email: string; name: string };

/**
 * Whom a warning or breach is mailed to: the policy's `escalateTo`; else the assignee's manager
 * (the directory's `managerId`); else the tenant's managers. Deactivated users and users without
 * an address are left out at each step (a step that leaves nobody falls through to the next).
 */
async function recipientsOf(deps: SlaEscalationDeps, tenantId: string, policy: SlaPolicyRecord | undefined, assigneeId: string | null): Promise<Recipient[]> {
  const usable = (users: (Pick<DirectoryUser, 'userId' | 'email' | 'name'> & { status?: string } | undefined)[]): Recipient[] =>
    users.flatMap((u) => (u && u.email && u.status !== 'deactivated' ? [{ userId: u.userId, email: u.email, name: u.name }] : []));
  const named = usable(await Promise.all((policy?.escalateTo ?? []).map((id) => deps.users.get(tenantId, id))));
  if (named.length) return named;
  const assignee = assigneeId ? await deps.users.get(tenantId, assigneeId) : undefined;
  const manager = usable([assignee?.managerId ? await deps.users.get(tenantId, assignee.managerId) : undefined]);
  if (manager.length) return manager;
  return usable(await deps.users.managers(tenantId));
}

const TARGET_WORDS: Record<SlaTargetName, string> = { firstResponse: 'First response', nextResponse: 'Next response', resolution: 'Resolution' };

/** Rule target on `crm.case.sla-warning.v1` and `crm.case.sla-breached.v1`: one mail per recipient, however often the event is delivered. */
export async function escalateSlaAlert(deps: SlaEscalationDeps, event: unknown): Promise<SlaEscalationResult> {
  const envelope = busEventSchema.parse(event);
  const breach = envelope['detail-type'] === caseSlaBreachedV1.detailType;
  const detail = breach ? caseSlaBreachedV1.schema.parse(envelope.detail) : caseSlaWarningV1.schema.parse(envelope.detail);
  const { caseId, target, dueAt, policyId, assigneeId, priority } = detail.data;
  const found = await deps.cases.get(detail.tenantId, caseId, false);
  const subjectLine = found?.case.subject ?? '(erased)';
  const recipients = await recipientsOf(deps, detail.tenantId, await deps.policies.recordFor(detail.tenantId, policyId), assigneeId);
  if (recipients.length === 0) return { status: 'no-recipient' };

  const partition = keys.customerPartition(detail.tenantId, detail.data.customerId);
  const what = `${TARGET_WORDS[target]} ${breach ? 'breached' : 'due soon'}`;
  const due = dueAt ? `${dueAt.slice(0, 16).replace('T', ' ')} UTC` : 'paused (waiting for the customer)';
  const sent: string[] = [];
  const alreadySent: string[] = [];
  for (const to of recipients) {
    const effect = `${SLA_ESCALATION_EFFECT}#${detail.id}#${to.userId}`;
    if (!(await deps.once.claim(partition, effect, clock.nowIso()))) {
      alreadySent.push(to.userId);
      continue;
    }
    const lines = [`Hello ${to.name},`, '', `${what} on case ${caseId} (${priority}): ${subjectLine}`, `Due ${due}`, `Assignee: ${assigneeId ?? 'nobody (in the queue)'}`, `Policy: ${policyId}`, '', 'Your CRM'];
    let result: { messageId: string };
    try {
      result = await deps.mailer.sendSimple({
        to: to.email,
        subject: `SLA ${breach ? 'breached' : 'warning'}: ${what.toLowerCase()} [case ${caseId}]`,
        text: lines.join('\n'),
        html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join(''),
        tags: { tenantId: detail.tenantId, customerId: detail.data.customerId, kind: SLA_ESCALATION_EFFECT },
      });
    } catch (error) {
      await deps.once.release(partition, effect);
      throw error;
    }
    // Sent: from here a failure must not release the marker, or a retry would mail it twice.
    await deps.once.complete(partition, effect, { messageId: result.messageId }, []);
    sent.push(to.userId);
  }
  return { status: 'sent', to: sent, alreadySent };
}
