import { describe, expect, it } from 'vitest';
import { type CaseSla, caseSla, dueSlaAlerts, type SlaCase, type SlaMessage, type StoredSlaPolicy, withSlaAlerts } from '../../../shared/sla/case-sla';
import { CALENDARS } from './sla-cases';

const z = (local: string) => new Date(local).toISOString();

const policy: StoredSlaPolicy = {
  id: 'default',
  version: 3,
  policy: {
    calendar: CALENDARS.berlinOffice,
    targets: {
      low: { firstResponseMinutes: 480, nextResponseMinutes: 480, resolutionMinutes: 2400 },
      normal: { firstResponseMinutes: 120, nextResponseMinutes: 60, resolutionMinutes: 480 },
      high: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 480 },
      urgent: { firstResponseMinutes: 30, nextResponseMinutes: 30, resolutionMinutes: 240 },
    },
    levelOverrides: { gold: { normal: { firstResponseMinutes: 30 } } },
    warningPercentUsed: 80,
  },
};

/** A case as the use cases hold it: opened at `createdAt`, changed by `change`. */
const opened = (createdAt: string, change: Partial<SlaCase> = {}): SlaCase => ({ priority: 'normal', status: 'new', createdAt: z(createdAt), firstResponseAt: null, resolvedAt: null, sla: null, ...change });
const open = (at: string, change: Partial<SlaCase> = {}, level: string | null = null) => {
  const c = opened(at, change);
  return { ...c, sla: caseSla(null, c, policy, level, undefined, c.createdAt) };
};
/** The next write: `after` fields over `before`, at `at`, with the message it added. */
const write = (before: SlaCase, at: string, after: Partial<SlaCase>, message?: SlaMessage['kind']): SlaCase => {
  const next = { ...before, ...after };
  return { ...next, sla: caseSla(before, next, policy, null, message ? { kind: message, at: z(at) } : undefined, z(at)) };
};
const sla = (c: SlaCase) => c.sla!;

describe('the SLA of a case: due times on the policy calendar', () => {
  it('gives no SLA without a policy', () => {
    const c = opened('2027-01-18T09:00+01:00');
    expect(caseSla(null, c, null, null, undefined, c.createdAt)).toBeNull();
  });

  it('counts over a weekend: opened Friday 16:00, first response (120) due Monday 10:00, warned at 80% (Monday 09:36)', () => {
    const c = open('2027-01-15T16:00+01:00');
    expect(sla(c)).toMatchObject({ policyId: 'default', policyVersion: 3, level: null, targets: { firstResponseMinutes: 120, nextResponseMinutes: 60, resolutionMinutes: 480 }, pauses: [], nextResponse: null });
    expect(sla(c).firstResponse).toMatchObject({ startedAt: z('2027-01-15T16:00+01:00'), minutes: 120, dueAt: z('2027-01-18T10:00+01:00'), warnAt: z('2027-01-18T09:36+01:00'), status: 'running' });
    expect(sla(c).resolution.dueAt).toBe(z('2027-01-18T16:00+01:00'));
    expect(sla(c).nextAlertAt).toBe(z('2027-01-18T09:36+01:00'));
  });

  it('skips holidays and a spring-forward Sunday: opened Thursday before Easter 16:00, due Tuesday 10:00 CEST', () => {
    const c = open('2027-03-25T16:00+01:00');
    expect(sla(c).firstResponse.dueAt).toBe(z('2027-03-30T10:00+02:00'));
    // 480: 60 on Thursday, 420 on Tuesday (Good Friday, the weekend and Easter Monday closed).
    expect(sla(c).resolution.dueAt).toBe(z('2027-03-30T16:00+02:00'));
  });

  it('counts across the fall-back change: opened Friday 16:30 CEST, due Monday 10:30 CET', () => {
    expect(sla(open('2027-10-29T16:30+02:00')).firstResponse.dueAt).toBe(z('2027-11-01T10:30+01:00'));
  });

  it("takes the customer's level override (gold: first response 30), and keeps that level afterwards", () => {
    const c = open('2027-01-18T09:00+01:00', {}, 'gold');
    expect(sla(c).targets.firstResponseMinutes).toBe(30);
    expect(sla(c).firstResponse.dueAt).toBe(z('2027-01-18T09:30+01:00'));
    const later = write(c, '2027-01-18T09:05+01:00', { status: 'open' });
    expect(sla(later)).toMatchObject({ level: 'gold', targets: { firstResponseMinutes: 30 } });
  });
});

describe('the SLA of a case across its writes', () => {
  it('stamps the first response, pauses while pending the customer, and starts next response on their message', () => {
    const c0 = open('2027-01-18T09:00+01:00');
    // A reply at 10:00: first response met; the case waits for the customer, so the clock stops.
    const c1 = write(c0, '2027-01-18T10:00+01:00', { status: 'pending-customer', firstResponseAt: z('2027-01-18T10:00+01:00') }, 'outbound');
    expect(sla(c1).firstResponse).toMatchObject({ metAt: z('2027-01-18T10:00+01:00'), dueAt: z('2027-01-18T11:00+01:00'), status: 'met' });
    expect(sla(c1).pauses).toEqual([{ from: z('2027-01-18T10:00+01:00'), to: null }]);
    expect(sla(c1).resolution).toMatchObject({ dueAt: null, status: 'paused' });
    expect(sla(c1).nextResponse).toBeNull();
    expect(sla(c1).nextAlertAt).toBeNull();

    // The customer answers on Wednesday 09:00: the pause ends, next response (60) runs, resolution resumes with 420 left.
    const c2 = write(c1, '2027-01-20T09:00+01:00', { status: 'open' }, 'inbound');
    expect(sla(c2).pauses).toEqual([{ from: z('2027-01-18T10:00+01:00'), to: z('2027-01-20T09:00+01:00') }]);
    expect(sla(c2).nextResponse).toMatchObject({ startedAt: z('2027-01-20T09:00+01:00'), dueAt: z('2027-01-20T10:00+01:00'), warnAt: z('2027-01-20T09:48+01:00'), status: 'running' });
    expect(sla(c2).resolution.dueAt).toBe(z('2027-01-20T16:00+01:00'));
    // The first response, met before the pause, keeps its due time.
    expect(sla(c2).firstResponse.dueAt).toBe(z('2027-01-18T11:00+01:00'));
    expect(sla(c2).nextAlertAt).toBe(z('2027-01-20T09:48+01:00'));

    // A second customer message does not restart it; a note does not answer it; the reply at 09:30 does.
    const c3 = write(c2, '2027-01-20T09:10+01:00', {}, 'inbound');
    expect(sla(c3).nextResponse!.startedAt).toBe(z('2027-01-20T09:00+01:00'));
    const c4 = write(c3, '2027-01-20T09:20+01:00', {}, 'note');
    expect(sla(c4).nextResponse!.metAt).toBeNull();
    const c5 = write(c4, '2027-01-20T09:30+01:00', { status: 'pending-customer' }, 'outbound');
    expect(sla(c5).nextResponse).toMatchObject({ metAt: z('2027-01-20T09:30+01:00'), status: 'met', dueAt: z('2027-01-20T10:00+01:00') });
    expect(sla(c5).resolution.status).toBe('paused');
    expect(sla(c5).pauses).toHaveLength(2);
  });

  it('recomputes on a change of priority, and a new target may warn again', () => {
    const c0 = open('2027-01-18T09:00+01:00');
    const warned = { ...c0, sla: withSlaAlerts(sla(c0), dueSlaAlerts(sla(c0), z('2027-01-18T10:36+01:00')), z('2027-01-18T10:36+01:00')) };
    expect(warned.sla.firstResponse.warnedAt).toBe(z('2027-01-18T10:36+01:00'));
    // Same targets: the warning stays raised.
    expect(sla(write(warned, '2027-01-18T10:37+01:00', { status: 'open' })).firstResponse.warnedAt).toBe(z('2027-01-18T10:36+01:00'));
    // Urgent at 10:40: first response 30 was due at 09:30 (from the opening), so it is breached at the next sweep; the old warning is gone.
    const urgent = write(warned, '2027-01-18T10:40+01:00', { priority: 'urgent' });
    expect(sla(urgent).targets).toEqual(policy.policy.targets.urgent);
    expect(sla(urgent).firstResponse).toMatchObject({ minutes: 30, dueAt: z('2027-01-18T09:30+01:00'), warnedAt: null });
    expect(sla(urgent).resolution.dueAt).toBe(z('2027-01-18T13:00+01:00'));
    expect(dueSlaAlerts(sla(urgent), z('2027-01-18T10:41+01:00'))).toEqual([{ target: 'firstResponse', kind: 'breach', dueAt: z('2027-01-18T09:30+01:00') }]);
  });

  it('meets resolution on resolving; a reopen clears it and does not count the time it sat resolved', () => {
    const c0 = open('2027-01-18T09:00+01:00', { firstResponseAt: null });
    const resolved = write(c0, '2027-01-18T11:00+01:00', { status: 'resolved', resolvedAt: z('2027-01-18T11:00+01:00') });
    expect(sla(resolved).resolution).toMatchObject({ metAt: z('2027-01-18T11:00+01:00'), status: 'met', dueAt: z('2027-01-18T17:00+01:00') });
    expect(sla(resolved).nextAlertAt).toBeNull();
    const reopened = write(resolved, '2027-01-19T09:00+01:00', { status: 'open', resolvedAt: null });
    // 120 used on Monday, 360 left from Tuesday 09:00.
    expect(sla(reopened).resolution).toMatchObject({ metAt: null, status: 'running', dueAt: z('2027-01-19T15:00+01:00') });
  });

  it('starts the clocks of a case that gets its first policy on a later write at that write, not at its opening', () => {
    const before = opened('2027-01-11T09:00+01:00', { status: 'open' });
    const after = { ...before, priority: 'high' as const };
    const now = z('2027-01-18T09:00+01:00');
    const late = caseSla(before, after, policy, null, undefined, now)!;
    expect(late.firstResponse).toMatchObject({ startedAt: now, dueAt: z('2027-01-18T10:00+01:00'), status: 'running' });
    expect(late.resolution.startedAt).toBe(now);
  });

  it('calls a target met after its due time breached', () => {
    const c0 = open('2027-01-18T09:00+01:00');
    const late = write(c0, '2027-01-18T11:30+01:00', { status: 'pending-customer', firstResponseAt: z('2027-01-18T11:30+01:00') }, 'outbound');
    expect(sla(late).firstResponse).toMatchObject({ status: 'breached', dueAt: z('2027-01-18T11:00+01:00') });
  });
});

describe('SLA alerts: what the sweep raises', () => {
  const c = open('2027-01-15T16:00+01:00');
  const at = (s: CaseSla, when: string) => withSlaAlerts(s, dueSlaAlerts(s, z(when)), z(when));

  it('raises nothing early, the warning at its time, then the breach, each once', () => {
    expect(dueSlaAlerts(sla(c), z('2027-01-18T09:35+01:00'))).toEqual([]);
    expect(dueSlaAlerts(sla(c), z('2027-01-18T09:36+01:00'))).toEqual([{ target: 'firstResponse', kind: 'warning', dueAt: z('2027-01-18T10:00+01:00') }]);
    const warned = at(sla(c), '2027-01-18T09:36+01:00');
    expect(warned.nextAlertAt).toBe(z('2027-01-18T10:00+01:00'));
    expect(dueSlaAlerts(warned, z('2027-01-18T09:50+01:00'))).toEqual([]);
    const breached = at(warned, '2027-01-18T10:00+01:00');
    expect(breached.firstResponse).toMatchObject({ status: 'breached', breachedAt: z('2027-01-18T10:00+01:00') });
    expect(dueSlaAlerts(breached, z('2027-01-18T10:01+01:00'))).toEqual([]);
    // Next: the resolution's warning (80% of 480 = 384: 60 on Friday, 324 from Monday 09:00).
    expect(breached.nextAlertAt).toBe(z('2027-01-18T14:24+01:00'));
  });

  it('raises only the breach when the sweep comes after the due time (the warning is moot)', () => {
    expect(dueSlaAlerts(sla(c), z('2027-01-18T10:30+01:00'))).toEqual([{ target: 'firstResponse', kind: 'breach', dueAt: z('2027-01-18T10:00+01:00') }]);
  });

  it('raises nothing for a met target', () => {
    const met = write(c, '2027-01-18T09:40+01:00', { status: 'pending-customer', firstResponseAt: z('2027-01-18T09:40+01:00') }, 'outbound');
    expect(dueSlaAlerts(sla(met), z('2027-01-19T10:00+01:00'))).toEqual([]);
  });

  it('raises nothing for a case without an SLA', () => {
    expect(dueSlaAlerts(null, z('2027-01-18T10:00+01:00'))).toEqual([]);
  });
});
