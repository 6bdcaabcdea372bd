import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden } from '../../../shared/errors';
import {
  authorizePrivacyRequest,
  contactHolds,
  type FoundRecord,
  pendingSteps,
  type PrivacyRequest,
  privacyRequestInput,
  privacyRequestView,
  stepKey,
  suppressionSection,
  uniqueFound,
} from '../../../shared/privacy/privacy-request';

const admin: Caller = { tenantId: 't1', userId: 'admin-1', groups: ['admin'] };
const rep: Caller = { tenantId: 't1', userId: 'rep-1', groups: ['rep'] };
const found: FoundRecord[] = [
  { kind: 'suppression', id: 'a'.repeat(64) },
  { kind: 'customer', id: 'C1' },
  { kind: 'contact', id: 'K1', customerId: 'C2' },
  { kind: 'lead', id: 'L1' },
];
const request: PrivacyRequest = {
  id: 'R1', tenantId: 't1', type: 'erasure', status: 'running', addressKinds: ['email'], found, done: ['lead:L1'],
  requestedBy: 'admin-1', requestedAt: '2026-12-07T12:00:00.000Z', completedAt: null,
};

describe('privacy requests by person', () => {
  it('takes an email, a phone or both, normalized; neither is a 400 naming email', () => {
    expect(privacyRequestInput.parse({ type: 'erasure', email: 'Jane@Example.COM' })).toEqual({ type: 'erasure', email: 'jane@example.com' });
    expect(privacyRequestInput.parse({ type: 'export', phone: '+49 30 1234567' })).toEqual({ type: 'export', phone: '+49301234567' });
    const none = privacyRequestInput.safeParse({ type: 'export' });
    expect(none.success).toBe(false);
    expect(none.error!.issues.map((i) => i.path.join('.'))).toEqual(['email']);
    expect(privacyRequestInput.safeParse({ type: 'export', email: 'not-an-address' }).error!.issues[0]!.path).toEqual(['email']);
    expect(privacyRequestInput.safeParse({ type: 'forget', email: 'a@b.example' }).error!.issues[0]!.path).toEqual(['type']);
  });

  it('is for admins only', () => {
    expect(() => authorizePrivacyRequest(rep)).toThrow(Forbidden);
    expect(() => authorizePrivacyRequest(admin)).not.toThrow();
  });

  it('erases leads, then contacts, then customers, the suppression entry last, skipping steps done', () => {
    expect(pendingSteps(request).map(stepKey)).toEqual(['contact:C2:K1', 'customer:C1', `suppression:${'a'.repeat(64)}`]);
    expect(pendingSteps({ found, done: found.map(stepKey) })).toEqual([]);
  });

  it('counts a record found through both the email and the phone once', () => {
    expect(uniqueFound([{ kind: 'customer', id: 'C1' }, { kind: 'lead', id: 'L1' }, { kind: 'customer', id: 'C1' }])).toEqual([{ kind: 'customer', id: 'C1' }, { kind: 'lead', id: 'L1' }]);
  });

  it('trusts the search index only for contacts that still hold the address', () => {
    expect(contactHolds({ emails: ['Jane@Example.com'], phones: [] }, { email: 'jane@example.com' })).toBe(true);
    expect(contactHolds({ emails: ['other@example.com'], phones: ['+49301234567'] }, { phone: '+49301234567' })).toBe(true);
    expect(contactHolds({ emails: ['other@example.com'], phones: [] }, { email: 'jane@example.com' })).toBe(false);
    expect(contactHolds(undefined, { email: 'jane@example.com' })).toBe(false);
  });

  it("says of the suppression list only whether, since when and why: no note, no other person's data", () => {
    expect(suppressionSection(undefined)).toEqual({ suppressed: false });
    expect(suppressionSection({ email: 'jane@example.com', reason: 'complaint', at: '2026-12-01T00:00:00.000Z', note: 'x', addedBy: 'u1', messageId: 'm' })).toEqual({
      suppressed: true, since: '2026-12-01T00:00:00.000Z', reason: 'complaint',
    });
  });

  it('shows the record of the request with kinds, ids, counts and steps, never the address or its hash', () => {
    const view = privacyRequestView(request);
    expect(view).toMatchObject({ id: 'R1', type: 'erasure', status: 'running', addressKinds: ['email'], requestedBy: 'admin-1', counts: { customers: 1, contacts: 1, leads: 1, suppression: 1 }, steps: { total: 4, done: 1 } });
    expect(view.found).toContainEqual({ kind: 'suppression', done: false });
    expect(view.found).toContainEqual({ kind: 'lead', id: 'L1', done: true });
    expect(JSON.stringify(view)).not.toContain('a'.repeat(64));
    expect(privacyRequestView({ ...request, type: 'export', done: [] }).steps).toBeNull();
  });
});
