import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/cases/case';
import { isComplaint, serviceSummary } from '../../../shared/cases/service-summary';

const now = Date.parse('2027-03-01T12:00:00.000Z');
const aCase = (over: Partial<Case>): Case => ({ category: 'general', status: 'open', createdAt: '2027-02-20T09:00:00.000Z', sla: null, ...over }) as Case;
const breachedSla = { firstResponse: { status: 'met' }, nextResponse: null, resolution: { status: 'breached' } } as unknown as Case['sla'];

describe("a customer's service in figures", () => {
  it('counts complaints (the category and its sub-categories), the recent ones, active cases and SLA breaches', () => {
    const cases = [
      aCase({ category: 'complaint', status: 'resolved', createdAt: '2026-10-01T09:00:00.000Z' }),
      aCase({ category: 'complaint-billing', createdAt: '2027-02-28T09:00:00.000Z', sla: breachedSla }),
      aCase({ category: 'complaints-archive', status: 'closed' }),
      aCase({ category: 'technical', status: 'pending-customer' }),
    ];
    expect(serviceSummary(cases, now)).toEqual({ activeCases: 2, complaints: 2, recentComplaints: 1, slaBreachedCases: 1, lastCaseAt: '2027-02-28T09:00:00.000Z' });
    expect(serviceSummary([], now)).toEqual({ activeCases: 0, complaints: 0, recentComplaints: 0, slaBreachedCases: 0, lastCaseAt: null });
    expect([isComplaint('complaint'), isComplaint('complaint-delivery'), isComplaint('complaints'), isComplaint('general')]).toEqual([true, true, false, false]);
    // After-sales: a complaint about an order is a complaint; a question or return about one is not.
    expect([isComplaint('after-sales-complaint'), isComplaint('after-sales-question'), isComplaint('after-sales-return')]).toEqual([true, false, false]);
  });
});
