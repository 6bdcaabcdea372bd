import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden, LeadNotFound } from '../../../shared/errors';
import type { Lead } from '../../../shared/leads/lead';
import { authorizeLeadPrivacy, erasedLeadItem, LEAD_TOMBSTONE_ATTRIBUTES, leadGuardValues } from '../../../shared/privacy/lead-erasure';

const admin: Caller = { tenantId: 't1', userId: 'admin-1', groups: ['admin'] };
const lead = {
  id: 'L1', tenantId: 't1', name: 'Lena', email: 'lena@example.com', phone: '+493012345678', company: 'Acme', domain: 'acme.example', title: 'CTO', industry: null,
  companySize: 50, region: 'north', product: null, message: 'Call me', source: 'fair', utm: { campaign: 'spring' }, pageUrl: 'https://acme.example/x', channel: 'form', formId: 'F1',
  status: 'mql', qualifiedLevel: 'mql', qualification: null, disqualification: null, ownerId: 'rep-1', teamId: 'north', assignedAt: '2026-12-01T00:00:00.000Z',
  convertedCustomerId: null, createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'form', updatedAt: '2026-12-02T00:00:00.000Z', version: 3,
} as Lead;

describe('lead erasure', () => {
  it('keeps only anonymous facts: no personal field, no owner, no index key, so the tombstone leaves every list and search', () => {
    const item = erasedLeadItem({ ...lead, GSI5PK: 'T#t1#LEADSTATUS#mql' } as Lead, admin, '2026-12-07T12:00:00.000Z');
    expect(item).toEqual({ PK: 'T#t1#L#L1', SK: 'PROFILE', entity: 'Lead', id: 'L1', tenantId: 't1', channel: 'form', status: 'mql', createdAt: '2026-12-01T00:00:00.000Z', version: 4, erasedAt: '2026-12-07T12:00:00.000Z', erasedBy: 'admin-1' });
    expect(Object.keys(item).every((k) => (LEAD_TOMBSTONE_ATTRIBUTES as readonly string[]).includes(k))).toBe(true);
  });

  it('gives back the guards of the email and phone it has', () => {
    expect(leadGuardValues(lead)).toEqual([{ field: 'email', value: 'lena@example.com' }, { field: 'phone', value: '+493012345678' }]);
    expect(leadGuardValues({ email: null, phone: '+493012345678' })).toEqual([{ field: 'phone', value: '+493012345678' }]);
  });

  it('is for admins; a lead that is not there is a 404 whoever asks', () => {
    expect(authorizeLeadPrivacy(admin, lead, 'L1')).toBe(lead);
    expect(() => authorizeLeadPrivacy({ ...admin, groups: ['manager'] }, lead, 'L1')).toThrow(Forbidden);
    expect(() => authorizeLeadPrivacy({ ...admin, groups: ['rep'] }, undefined, 'L9')).toThrow(LeadNotFound);
  });
});
