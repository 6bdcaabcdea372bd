import { describe, expect, it } from 'vitest';
import { newLead } from '../../../shared/leads/lead';
import { disqualify } from '../../../shared/leads/lead-qualification';
import { statusEvents } from '../../../shared/leads/lead-use-cases';

const NOW = '2027-01-01T10:00:00.000Z';
const ctx = { tenantId: 't1', actor: { type: 'user' as const, id: 'rep-1' }, correlationId: 'req-1' };
const lead = { ...newLead({ email: 'lin@example.com' }, { id: 'L1', tenantId: 't1', channel: 'api', formId: null, actorId: 'rep-1', nowIso: NOW, defaultSource: null }), ownerId: 'rep-1' };

describe('statusEvents (a rep moving a lead onto the nurture list or out)', () => {
  it('announces the nurture list with crm.lead.nurtured.v1, naming the status the lead left', () => {
    const [event, ...more] = statusEvents(ctx, lead, disqualify(lead, true, 'rep-1', 'Next quarter', NOW));
    expect(more).toEqual([]);
    expect(event).toMatchObject({ detailType: 'crm.lead.nurtured.v1', detail: { type: 'crm.lead.nurtured.v1', data: { leadId: 'L1', from: 'new', ownerId: 'rep-1' } } });
  });

  it('announces a ruled-out lead with crm.lead.disqualified.v1, and nothing when the status stays', () => {
    const out = disqualify(lead, false, 'rep-1', 'No budget', NOW);
    expect(statusEvents(ctx, lead, out).map((e) => e.detailType)).toEqual(['crm.lead.disqualified.v1']);
    expect(statusEvents(ctx, out, disqualify(out, false, 'rep-1', 'Still no budget', NOW))).toEqual([]);
  });
});
