import type { BusinessCalendar } from './business-calendar';
import { dueWithPauses, type Pause, warningInstant } from './sla-clock';
import { type CasePriority, type SlaPolicy, type SlaTargets, targetsFor } from './sla-policy';

/**
 * The SLA of one case (docs/service.md, "SLA policies"): which policy and targets apply, when the
 * clock stood still, and per target when it is due, when it was met, and which alerts went out.
 * Pure: `caseSla` keeps the block right across every write of the case (run by the case use cases
 * in the same transaction), `dueSlaAlerts` / `withSlaAlerts` are what the sweep decides.
 */

export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaTargetName = (typeof SLA_TARGETS)[number];
export type SlaTargetStatus = 'running' | 'paused' | 'met' | 'breached';

export interface SlaTargetState {
  /** When the clock of this target started (ISO). */
  startedAt: string;
  /** The target in business minutes. */
  minutes: number;
  /** Null while the case is paused short of the target. */
  dueAt: string | null;
  /** When the warning of a coming breach is due (null while paused short of it). */
  warnAt: string | null;
  metAt: string | null;
  /** When the sweep raised the warning / the breach (each once per start of the target). */
  warnedAt: string | null;
  breachedAt: string | null;
  /** met: in time; breached: not met by `dueAt` (raised, or met late); paused: the clock stands still. */
  status: SlaTargetStatus;
}

export interface SlaPause {
  from: string;
  to: string | null;
}

export interface CaseSla {
  policyId: string;
  policyVersion: number;
  /** The customer's level when the case was opened: what picked `levelOverrides`. */
  level: string | null;
  targets: SlaTargets;
  /** Stretches the case waited for the customer (or sat resolved): no target's clock runs then. */
  pauses: SlaPause[];
  firstResponse: SlaTargetState;
  /** Started by a customer message after the first response; null until there is one. */
  nextResponse: SlaTargetState | null;
  resolution: SlaTargetState;
  /** The earliest warning or breach still to raise: the sweep's index (null: nothing to raise). */
  nextAlertAt: string | null;
}

/** A stored policy: its id, its version, the policy. */
export interface StoredSlaPolicy {
  id: string;
  version: number;
  policy: Pick<SlaPolicy, 'calendar' | 'targets' | 'levelOverrides' | 'warningPercentUsed'>;
}

/** The parts of a case the SLA reads. */
export interface SlaCase {
  priority: CasePriority;
  status: string;
  createdAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  sla?: CaseSla | null;
}

/** A message the write added (the next-response target starts on the customer's, stops on a reply). */
export interface SlaMessage {
  kind: 'inbound' | 'outbound' | 'note';
  at: string;
}

/** Statuses during which the clock stands still: waiting for the customer; resolved (a reopen resumes it); closed. */
const PAUSED_STATUSES = new Set(['pending-customer', 'resolved', 'closed']);
const isPaused = (status: string) => PAUSED_STATUSES.has(status);

const ms = Date.parse;
const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());

/**
 * The SLA block of a case after a write: `before` is the case as read (null when it is being
 * opened), `after` the case as it will be stored, `policy` the one that applies now (null: none,
 * so `sla: null`), `level` the customer's level (read only when the case is opened; afterwards the
 * block keeps it), `message` what the write added, `nowIso` the write's time.
 */
export function caseSla(before: SlaCase | null, after: SlaCase, policy: StoredSlaPolicy | null, level: string | null, message: SlaMessage | undefined, nowIso: string): CaseSla | null {
  if (!policy) return null;
  const previous = before?.sla ?? null;
  const keptLevel = previous ? previous.level : level;
  const targets = targetsFor(policy.policy, after.priority, keptLevel);
  const pauses = nextPauses(previous?.pauses ?? [], after.status, nowIso);
  const calendar = policy.policy.calendar;
  const warning = policy.policy.warningPercentUsed;

  // The clocks start with the case; a case that gets its first SLA later (a policy made since, a
  // category that now has one) starts them at that write, not back at its opening: no alert storm
  // for old cases when a policy is first set.
  const since = (state: SlaTargetState | undefined) => state?.startedAt ?? (before ? nowIso : after.createdAt);
  const firstResponse = targetState(calendar, warning, pauses, since(previous?.firstResponse), targets.firstResponseMinutes, after.firstResponseAt, previous?.firstResponse);
  const resolution = targetState(calendar, warning, pauses, since(previous?.resolution), targets.resolutionMinutes, after.status === 'resolved' || after.status === 'closed' ? after.resolvedAt : null, previous?.resolution);

  let nextResponse: SlaTargetState | null = null;
  const runningNext = previous?.nextResponse && !previous.nextResponse.metAt ? previous.nextResponse : null;
  if (runningNext) {
    // Our reply answers the customer; until then the clock of their first unanswered message runs.
    const metAt = message?.kind === 'outbound' ? message.at : null;
    nextResponse = targetState(calendar, warning, pauses, runningNext.startedAt, targets.nextResponseMinutes, metAt, runningNext);
  } else if (message?.kind === 'inbound' && after.firstResponseAt) {
    // A customer message after we first answered starts the next-response target (before it, the first response covers them).
    nextResponse = targetState(calendar, warning, pauses, message.at, targets.nextResponseMinutes, null, undefined);
  } else if (previous?.nextResponse) {
    nextResponse = targetState(calendar, warning, pauses, previous.nextResponse.startedAt, targets.nextResponseMinutes, previous.nextResponse.metAt, previous.nextResponse);
  }

  const sla: Omit<CaseSla, 'nextAlertAt'> = { policyId: policy.id, policyVersion: policy.version, level: keptLevel, targets, pauses, firstResponse, nextResponse, resolution };
  // A resolved or closed case raises nothing more (a target left unmet by resolving is not chased).
  const done = after.status === 'resolved' || after.status === 'closed';
  return { ...sla, nextAlertAt: done ? null : nextAlertOf(sla) };
}

/**
 * A pause opens when the case enters a paused status and closes when it leaves one. A block that
 * starts on a case already paused (a policy that came later) pauses from now.
 */
function nextPauses(pauses: readonly SlaPause[], after: string, nowIso: string): SlaPause[] {
  const open = pauses.some((p) => p.to === null);
  if (isPaused(after) && !open) return [...pauses, { from: nowIso, to: null }];
  if (!isPaused(after) && open) return pauses.map((p) => (p.to === null ? { from: p.from, to: nowIso } : p));
  return [...pauses];
}

/** Pauses as the clock takes them; for a met target only what happened before it was met counts. */
function clockPauses(pauses: readonly SlaPause[], until: number | null): Pause[] {
  return pauses
    .map((p) => ({ from: ms(p.from), to: p.to === null ? null : ms(p.to) }))
    .filter((p) => until === null || p.from < until)
    .map((p) => (until === null ? p : { from: p.from, to: p.to === null ? until : Math.min(p.to, until) }));
}

function targetState(calendar: BusinessCalendar, warningPercentUsed: number, pauses: readonly SlaPause[], startedAt: string, minutes: number, metAt: string | null, previous: SlaTargetState | undefined): SlaTargetState {
  const clock = clockPauses(pauses, metAt === null ? null : ms(metAt));
  const due = dueWithPauses(calendar, ms(startedAt), minutes, clock);
  const warn = warningInstant(calendar, ms(startedAt), minutes, clock, { percentUsed: warningPercentUsed });
  // Alerts raised stay raised for the same start and target; a new target (a priority change)
  // is a new deadline, which may warn and breach again.
  const same = previous && previous.startedAt === startedAt && previous.minutes === minutes;
  const warnedAt = same ? previous.warnedAt : null;
  const breachedAt = same ? previous.breachedAt : null;
  return { startedAt, minutes, dueAt: iso(due), warnAt: iso(warn), metAt, warnedAt, breachedAt, status: statusOf(due, metAt, breachedAt) };
}

function statusOf(due: number | null, metAt: string | null, breachedAt: string | null): SlaTargetStatus {
  if (metAt !== null) return due !== null && ms(metAt) > due ? 'breached' : breachedAt ? 'breached' : 'met';
  if (breachedAt) return 'breached';
  return due === null ? 'paused' : 'running';
}

const activeTargets = (sla: Pick<CaseSla, 'firstResponse' | 'nextResponse' | 'resolution'>): [SlaTargetName, SlaTargetState][] =>
  SLA_TARGETS.flatMap((name) => {
    const state = sla[name];
    return state && state.metAt === null && state.breachedAt === null ? [[name, state] as [SlaTargetName, SlaTargetState]] : [];
  });

/** The next instant an alert is to be raised: a target's warning until it went out, then its breach. */
function nextAlertOf(sla: Pick<CaseSla, 'firstResponse' | 'nextResponse' | 'resolution'>): string | null {
  const instants = activeTargets(sla).flatMap(([, t]) => {
    const next = t.warnedAt === null ? (t.warnAt ?? t.dueAt) : t.dueAt;
    return next === null ? [] : [next];
  });
  return instants.length ? instants.sort()[0]! : null;
}

export type SlaAlertKind = 'warning' | 'breach';
export interface SlaAlert {
  target: SlaTargetName;
  kind: SlaAlertKind;
  /** The target's due time (null: a warning raised while the case is paused short of it). */
  dueAt: string | null;
}

/**
 * What the sweep raises at `nowIso`: per target still running, its breach once the due time has
 * come (a warning that was never raised is then moot), else its warning once that time has come.
 */
export function dueSlaAlerts(sla: CaseSla | null | undefined, nowIso: string): SlaAlert[] {
  if (!sla) return [];
  const now = ms(nowIso);
  return activeTargets(sla).flatMap(([target, t]): SlaAlert[] => {
    if (t.dueAt === null) {
      // Paused short of the due time, yet the warning may have come before the pause.
      return t.warnedAt === null && t.warnAt !== null && ms(t.warnAt) <= now ? [{ target, kind: 'warning', dueAt: null }] : [];
    }
    if (ms(t.dueAt) <= now) return [{ target, kind: 'breach', dueAt: t.dueAt }];
    if (t.warnedAt === null && t.warnAt !== null && ms(t.warnAt) <= now) return [{ target, kind: 'warning', dueAt: t.dueAt }];
    return [];
  });
}

/** The block with the alerts stamped as raised at `nowIso`, and the next alert instant moved on. */
export function withSlaAlerts(sla: CaseSla, alerts: readonly SlaAlert[], nowIso: string): CaseSla {
  const next: CaseSla = { ...sla };
  for (const alert of alerts) {
    const state = next[alert.target];
    if (!state) continue;
    next[alert.target] = alert.kind === 'warning' ? { ...state, warnedAt: nowIso } : { ...state, breachedAt: nowIso, status: 'breached' };
  }
  return { ...next, nextAlertAt: nextAlertOf(next) };
}
