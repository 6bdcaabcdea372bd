import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_CONTRACTS } from '../../../events';
import { ACTIVITY_TYPES, isFollowUp, logActivityInput, SYSTEM_ACTIVITY_TYPES } from '../../../shared/activities/activity';
import { NOT_ON_TIMELINE, TIMELINE_EVENT_DETAIL_TYPES, TIMELINE_ROWS, timelineEntryOf } from '../../../shared/activities/timeline-entries';

const fixture = (detailType: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/fixtures', `${detailType}.json`), 'utf8')) as { data: Record<string, unknown> };

const entryOfFixture = (detailType: string, data: Record<string, unknown> = {}) => timelineEntryOf(detailType, { ...fixture(detailType).data, ...data });

describe('timeline entries: the table of event to entry', () => {
  it.each([
    ['crm.deal.created.v1', 'deal', 'Deal opened: 12000.00 EUR'],
    ['crm.deal.stage-changed.v1', 'deal', /^Deal moved to another stage \(\d+%\)$/],
    ['crm.deal.won.v1', 'deal', /^Deal won: [\d.]+ [A-Z]{3}$/],
    ['crm.deal.lost.v1', 'deal', /^Deal lost: [\d.]+ [A-Z]{3}$/],
    ['crm.customer.claimed.v1', 'ownership', 'Claimed from a pool'],
    ['crm.customer.released.v1', 'ownership', 'Released to a pool'],
    ['crm.customer.assigned.v1', 'ownership', /^(Assigned|Transferred)/],
    ['crm.customer.reclaimed.v1', 'ownership', /^Reclaimed to a pool \((noFollowUpDays|noOpenDealDays|noWonDealDays): \d+ days\)$/],
    ['crm.customer.reclaim-warning.v1', 'ownership', /^Will be reclaimed at .+ without a follow-up$/],
    ['crm.task.created.v1', 'task', /^Task opened: (call|email|meeting|todo), due /],
    ['crm.case.sla-warning.v1', 'case', 'SLA warning: first response due 2026-12-07T09:30:00.000Z'],
    ['crm.case.sla-breached.v1', 'case', 'SLA breached: first response was due 2026-12-07T09:30:00.000Z'],
    ['crm.approval.requested.v1', 'process', 'Approval requested (quote-discount), step 1: 1 approver'],
    ['crm.approval.decided.v1', 'process', 'Approval step 1 approved'],
    ['crm.approval.escalated.v1', 'process', "Approval step 1 escalated to the approver's manager after its time limit"],
    ['crm.process.completed.v1', 'process', 'Approval (quote-discount) approved'],
    ['crm.quote.sent.v1', 'process', 'Quote sent: 321.30 EUR, valid until 2027-01-31'],
    ['crm.quote.answered.v1', 'process', 'Quote accepted by the customer, order placed'],
    ['crm.order.placed.v1', 'process', 'Order placed: 321.30 EUR'],
    ['crm.order.status-changed.v1', 'process', 'Order invoiced, due 2027-01-06'],
    ['crm.invoice.overdue.v1', 'process', 'Invoice overdue: 221.30 EUR was due 2027-01-06'],
    ['crm.contract.created.v1', 'process', 'Contract C-2026-0001 awaiting approval: 12000.00 EUR, 2027-01-01 to 2027-12-31'],
    ['crm.contract.ended.v1', 'process', 'Contract C-2026-0001 terminated'],
    ['crm.contract.renewal-due.v1', 'process', 'Contract C-2026-0001 due for renewal: ends 2027-12-31'],
  ] as const)('%s is a %s entry on the customer it names', (detailType, type, subject) => {
    const data = fixture(detailType).data;
    const entry = timelineEntryOf(detailType, data);

    expect(entry).toMatchObject({ customerId: data.customerId, type });
    if (typeof subject === 'string') expect(entry!.subject).toBe(subject);
    else expect(entry!.subject).toMatch(subject);
  });

  it('covers exactly the rows above, and the rule pattern lists the same detail-types', () => {
    expect(TIMELINE_EVENT_DETAIL_TYPES.toSorted()).toEqual(
      [
        'crm.approval.decided.v1', 'crm.approval.escalated.v1', 'crm.approval.requested.v1',
        'crm.case.message-added.v1', 'crm.case.opened.v1', 'crm.case.sla-breached.v1', 'crm.case.sla-warning.v1', 'crm.case.status-changed.v1', 'crm.case.survey-answered.v1',
        'crm.contract.created.v1', 'crm.contract.ended.v1', 'crm.contract.renewal-due.v1',
        'crm.customer.assigned.v1', 'crm.customer.claimed.v1', 'crm.customer.reclaim-warning.v1', 'crm.customer.reclaimed.v1', 'crm.customer.released.v1',
        'crm.deal.created.v1', 'crm.deal.lost.v1', 'crm.deal.stage-changed.v1', 'crm.deal.won.v1', 'crm.invoice.overdue.v1', 'crm.order.placed.v1', 'crm.order.status-changed.v1', 'crm.process.completed.v1',
        'crm.quote.answered.v1', 'crm.quote.sent.v1', 'crm.task.created.v1',
      ],
    );
    expect(Object.keys(TIMELINE_ROWS)).toEqual(TIMELINE_EVENT_DETAIL_TYPES);
  });

  it('holds every contract to a decision: a row, or a reason it has none (never both)', () => {
    const decided = [...TIMELINE_EVENT_DETAIL_TYPES, ...Object.keys(NOT_ON_TIMELINE)];
    expect(decided.toSorted()).toEqual(Object.keys(EVENT_CONTRACTS).sort());
    expect(new Set(decided).size).toBe(decided.length);
  });

  it('leaves out events whose story is on the timeline already (conversion, completion, merge, SES mail)', () => {
    for (const detailType of ['crm.lead.converted.v1', 'crm.task.completed.v1', 'crm.customer.merged.v1', 'crm.lead.qualified.v1', 'crm.campaign.completed.v1']) {
      expect(timelineEntryOf(detailType, fixture(detailType).data), detailType).toBeNull();
      expect(NOT_ON_TIMELINE[detailType], detailType).toBeTruthy();
    }
  });

  it('tells case events apart on the timeline, without the text of any message', () => {
    expect(entryOfFixture('crm.case.opened.v1', { orderId: null })).toMatchObject({ type: 'case', subject: 'Case opened (high, billing, by email)', payload: { orderId: null } });
    // After-sales: the case's order on its entry.
    expect(entryOfFixture('crm.case.opened.v1', {})).toMatchObject({ subject: 'Case opened (high, billing, by email) about an order', payload: { orderId: '01JD0000000000000000000099' } });
    const reply = entryOfFixture('crm.case.message-added.v1', {})!;
    expect(reply).toMatchObject({ type: 'case', subject: 'Replied on a case', payload: { kind: 'outbound', status: 'pending-customer' } });
    expect(entryOfFixture('crm.case.status-changed.v1', {})!.subject).toBe('Case resolved (was pending-customer)');
  });

  it("puts a survey answer and each change of it on the customer's timeline, without the comment", () => {
    const first = entryOfFixture('crm.case.survey-answered.v1', {})!;
    expect(first).toMatchObject({ customerId: '01JD0000000000000000000002', type: 'case', subject: 'CSAT answered: 2 of 5', payload: { score: 2, previousScore: null, low: true, hasComment: true } });
    expect(JSON.stringify(first)).not.toContain('comment"');
    expect(entryOfFixture('crm.case.survey-answered.v1', { kind: 'nps', score: 9, previousScore: 4 })!.subject).toBe('NPS changed: 9 of 10 (was 4)');
  });

  it('names the way a customer was assigned', () => {
    const assigned = (fromOwnerId: string | null, poolId: string | null) => entryOfFixture('crm.customer.assigned.v1', { fromOwnerId, poolId })!.subject;
    expect(assigned('rep-1', null)).toBe('Transferred to another owner');
    expect(assigned(null, 'pool-1')).toBe('Assigned from a pool');
    expect(assigned(null, null)).toBe('Assigned to an owner');
  });

  it('tells a reopen from a move', () => {
    expect(entryOfFixture('crm.deal.stage-changed.v1', { fromStatus: 'open', probability: 40 })!.subject).toBe('Deal moved to another stage (40%)');
    expect(entryOfFixture('crm.deal.stage-changed.v1', { fromStatus: 'lost' })!.subject).toBe('Deal reopened (was lost)');
  });

  it("puts a deal's task on its customer's timeline and a lead's task on none", () => {
    expect(entryOfFixture('crm.task.created.v1', { customerId: 'c-9', dealId: 'd-1', leadId: null })).toMatchObject({ customerId: 'c-9', payload: { dealId: 'd-1' } });
    expect(entryOfFixture('crm.task.created.v1', { customerId: null, dealId: null, leadId: 'l-1' })).toBeNull();
  });

  it('carries only what the event carries: every payload value is a value of its data (ids, stages, amounts, times, rules)', () => {
    for (const detailType of TIMELINE_EVENT_DETAIL_TYPES) {
      const data = fixture(detailType).data;
      const entry = timelineEntryOf(detailType, data)!;
      const { change, ...rest } = entry.payload;
      for (const [name, value] of Object.entries(rest)) expect(data[name], `${detailType} ${name}`).toEqual(value);
      expect(change === undefined || typeof change === 'string').toBe(true);
    }
  });

  it('knows nothing of an event without a row', () => {
    expect(timelineEntryOf('crm.something.new.v1', { customerId: 'c-1' })).toBeNull();
  });
});

describe('the system types the timeline consumer writes', () => {
  it.each(['deal', 'ownership', 'task'] as const)('%s is a system type: users cannot log it, and it is no follow-up', (type) => {
    expect(SYSTEM_ACTIVITY_TYPES).toContain(type);
    expect(ACTIVITY_TYPES as readonly string[]).not.toContain(type);
    expect(logActivityInput.safeParse({ type }).success).toBe(false);
    expect(isFollowUp({ type, actor: { type: 'user', id: 'rep-1' } })).toBe(false);
  });
});
