import { describe, expect, it } from 'vitest';
import { addContactInput, applyContactPatch, contactPatch, contactView, newContact } from '../../../shared/contacts/contact';

const rep = { userId: 'rep-1', tenantId: 'acme', groups: ['rep' as const] };
const NOW = '2026-11-22T10:00:00.000Z';
const LATER = '2026-11-23T10:00:00.000Z';
const grace = newContact(addContactInput.parse({ name: 'Grace', title: 'CTO', emails: ['G@x.io'], consent: { newsletter: true } }), rep, 'c1', 'k1', NOW);

describe('contacts', () => {
  it('start at version 1 with normalized emails and consent evidence', () => {
    expect(grace).toMatchObject({ emails: ['g@x.io'], version: 1, consent: { newsletter: { granted: true, at: NOW, source: 'api' } } });
  });

  it('patch like customers: null clears, missing keeps, the version moves only on a change', () => {
    const { after, changed } = applyContactPatch(grace, contactPatch.parse({ title: null }), rep, LATER);
    expect(changed).toBe(true);
    expect(after).toMatchObject({ title: null, name: 'Grace', version: 2, updatedAt: LATER });

    const same = applyContactPatch(grace, contactPatch.parse({ name: 'Grace' }), rep, LATER);
    expect(same).toEqual({ after: grace, changed: false });
  });

  it('cannot lose their name', () => {
    expect(contactPatch.safeParse({ name: null }).success).toBe(false);
  });

  it('show consent as topic -> granted', () => {
    expect(contactView(grace).consent).toEqual({ newsletter: true });
  });
});
