import { afterEach, describe, expect, it } from 'vitest';
import { type Case, closesAt } from '../../../shared/cases/case';
import type { CaseEvent, CaseWriteOutcome } from '../../../shared/cases/case-repository';
import { raiseDueSlaAlerts } from '../../../shared/cases/case-sla-use-cases';
import { installTimeSource } from '../../../shared/clock';
import { caseSla, type SlaCase } from '../../../shared/sla/case-sla';
import { ALWAYS_OPEN_CALENDAR } from '../../../shared/sla/business-calendar';

const t = (hhmm: string) => `2027-01-18T${hhmm}:00.000Z`;
const targets = { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 600 };
const policy = { id: 'default', version: 1, policy: { calendar: ALWAYS_OPEN_CALENDAR, targets: { low: targets, normal: targets, high: targets, urgent: targets }, levelOverrides: {}, warningPercentUsed: 80 } };

function openedCase(): Case {
  const base = { id: 'C1', tenantId: 't1', customerId: 'K1', priority: 'normal', status: 'open', createdAt: t('09:00'), firstResponseAt: null, resolvedAt: null, assigneeId: 'agent-1', version: 1 } as unknown as Case;
  return { ...base, sla: caseSla(null, base as SlaCase, policy, null, undefined, t('09:00')) };
}

/** One case in a store that, like the table, writes only over the version read. */
function store(initial: Case) {
  let current = initial;
  const committed: CaseEvent[] = [];
  const cases = {
    dueSlaAlerts: async (nowIso: string) => (current.sla?.nextAlertAt && current.sla.nextAlertAt <= nowIso ? [{ tenantId: 't1', caseId: 'C1' }] : []),
    get: async () => ({ case: structuredClone(current), messages: [] }),
    change: async (after: Case, expected: number, _m: unknown, events: CaseEvent[]): Promise<CaseWriteOutcome> => {
      // Both sweeps read before either writes: the second write finds a newer version.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (current.version !== expected) return { outcome: 'stale' };
      current = after;
      committed.push(...events);
      return { outcome: 'written' };
    },
  };
  return { cases, committed, current: () => current };
}

afterEach(() => installTimeSource(Date.now));

describe('the SLA sweep', () => {
  it('raises nothing before the warning; the warning once when two sweeps race; then the breach once', async () => {
    const s = store(openedCase());
    installTimeSource(() => Date.parse(t('09:47')));
    expect(await raiseDueSlaAlerts({ cases: s.cases })).toMatchObject({ due: 0, warnings: 0 });

    installTimeSource(() => Date.parse(t('09:48')));
    const runs = await Promise.all([raiseDueSlaAlerts({ cases: s.cases }), raiseDueSlaAlerts({ cases: s.cases })]);
    expect(runs.map((r) => r.warnings).sort()).toEqual([0, 1]);
    expect(s.committed.map((e) => e.detailType)).toEqual(['crm.case.sla-warning.v1']);
    expect(s.current().sla!.firstResponse.warnedAt).toBe(t('09:48'));
    expect(s.current().version).toBe(2);
    expect(s.current().sla!.nextAlertAt).toBe(t('10:00'));

    installTimeSource(() => Date.parse(t('10:00')));
    await raiseDueSlaAlerts({ cases: s.cases });
    await raiseDueSlaAlerts({ cases: s.cases });
    expect(s.committed.map((e) => e.detailType)).toEqual(['crm.case.sla-warning.v1', 'crm.case.sla-breached.v1']);
    expect(s.committed[1]!.detail).toMatchObject({ actor: { type: 'system', id: 'sla-sweep' }, data: { caseId: 'C1', target: 'firstResponse', dueAt: t('10:00'), policyId: 'default', assigneeId: 'agent-1' } });
  });

  it('raises nothing for a case that is no longer active', async () => {
    const s = store({ ...openedCase(), status: 'resolved' });
    installTimeSource(() => Date.parse(t('11:00')));
    expect(await raiseDueSlaAlerts({ cases: s.cases })).toMatchObject({ due: 1, skipped: 1, warnings: 0, breaches: 0 });
    expect(s.committed).toEqual([]);
  });

  it('closes a resolved case once its reopen window has ended, once however many sweeps run', async () => {
    const resolved = { ...openedCase(), status: 'resolved', resolvedAt: t('09:00'), sla: null } as Case;
    let current = resolved;
    const committed: CaseEvent[] = [];
    const cases = {
      dueSlaAlerts: async (nowIso: string) => (closesAt(current) && closesAt(current)! <= nowIso ? [{ tenantId: 't1', caseId: 'C1' }] : []),
      get: async () => ({ case: structuredClone(current), messages: [] }),
      change: async (after: Case, expected: number, _m: unknown, events: CaseEvent[]): Promise<CaseWriteOutcome> => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (current.version !== expected) return { outcome: 'stale' };
        current = after;
        committed.push(...events);
        return { outcome: 'written' };
      },
    };
    installTimeSource(() => Date.parse('2027-01-25T08:59:59.999Z'));
    expect(await raiseDueSlaAlerts({ cases })).toMatchObject({ due: 0, closed: 0 });
    installTimeSource(() => Date.parse('2027-01-25T09:00:00.000Z'));
    const runs = await Promise.all([raiseDueSlaAlerts({ cases }), raiseDueSlaAlerts({ cases })]);
    expect(runs.map((r) => r.closed).sort()).toEqual([0, 1]);
    expect(current).toMatchObject({ status: 'closed', resolvedAt: t('09:00'), updatedBy: 'case-closing', version: 2 });
    expect(committed.map((e) => [e.detailType, (e.detail as unknown as { data: { from: string; to: string } }).data])).toEqual([['crm.case.status-changed.v1', expect.objectContaining({ from: 'resolved', to: 'closed' })]]);
    expect(await raiseDueSlaAlerts({ cases })).toMatchObject({ due: 0 });
  });
});
