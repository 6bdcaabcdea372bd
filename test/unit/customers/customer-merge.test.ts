import { describe, expect, it } from 'vitest';
import { createCustomerInput, type Customer, MAX_EMAILS, MAX_TAGS, newCustomer } from '../../../shared/customers/customer';
import {
  assertMergeable,
  canMerge,
  guardPlan,
  isMovableRecord,
  mergeConsent,
  mergeCustomersInput,
  mergeEntries,
  mergeProfiles,
  movedRecord,
} from '../../../shared/customers/customer-merge';
import { MAX_CUSTOM_FIELDS_BYTES } from '../../../shared/custom-fields/custom-field-values';
import { Forbidden, KindMismatch, MergeLimitExceeded } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { buildOpenApiDocument } from '../../../api/openapi';

const caller = (groups: Caller['groups'], userId = 'u-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const T0 = '2026-11-20T10:00:00.000Z';
const T1 = '2026-11-21T10:00:00.000Z';
const NOW = '2026-11-23T10:00:00.000Z';

function customer(id: string, body: Record<string, unknown>, overrides: Partial<Customer> = {}): Customer {
  return { ...newCustomer(createCustomerInput.parse({ name: id, ...body }), caller(['rep'], 'rep-1'), id, T0), ...overrides };
}

describe('mergeCustomersInput', () => {
  it('takes a sourceId and nothing else', () => {
    expect(mergeCustomersInput.parse({ sourceId: ' C2 ' })).toEqual({ sourceId: 'C2' });
    expect(mergeCustomersInput.safeParse({}).success).toBe(false);
    expect(mergeCustomersInput.safeParse({ sourceId: '' }).success).toBe(false);
    expect(mergeCustomersInput.safeParse({ sourceId: 'C2', extra: 1 }).success).toBe(false);
  });
});

describe('who may merge', () => {
  const mine = customer('A', {});
  const alsoMine = customer('B', {});
  const theirs = customer('C', {}, { ownerId: 'rep-2' });

  it('needs the right to change both customers: admins any two, managers two in their scope, a rep two they own', () => {
    expect(canMerge(caller(['admin']), mine, theirs)).toBe(true);
    expect(canMerge(caller(['manager']), { ...mine, ownerId: null }, { ...theirs, ownerId: null })).toBe(true);
    expect(canMerge(caller(['rep'], 'rep-1'), mine, alsoMine)).toBe(true);
    expect(canMerge(caller(['rep'], 'rep-1'), mine, theirs)).toBe(false);
    expect(canMerge(caller(['rep'], 'rep-1'), theirs, mine)).toBe(false);
    expect(canMerge(caller(['marketer']), mine, alsoMine)).toBe(false);
    expect(canMerge(caller(['agent']), mine, alsoMine)).toBe(false);
    expect(canMerge(caller(['admin'], 'u-1', 'other'), mine, alsoMine)).toBe(false);
  });

  it('refuses a caller who may not (403) before a kind mismatch (409)', () => {
    const company = customer('D', { kind: 'company' });
    expect(() => assertMergeable(caller(['marketer']), mine, company)).toThrow(Forbidden);
    expect(() => assertMergeable(caller(['admin']), mine, company)).toThrow(KindMismatch);
    expect(() => assertMergeable(caller(['admin']), mine, alsoMine)).not.toThrow();
  });
});

describe('mergeProfiles', () => {
  const who = caller(['manager'], 'mgr-1');

  it('unites emails, phones and tags, survivor first, without repeats', () => {
    const survivor = customer('A', { emails: ['a@x.io'], phones: ['+4930111111'], tags: ['vip', 'b2b'] });
    const source = customer('B', { emails: ['b@x.io'], phones: ['+4930222222'], tags: ['b2b', 'berlin'] });

    const { merged, changed } = mergeProfiles(survivor, source, who, NOW);

    expect(merged).toMatchObject({ emails: ['a@x.io', 'b@x.io'], phones: ['+4930111111', '+4930222222'], tags: ['vip', 'b2b', 'berlin'] });
    expect(changed).toEqual(expect.arrayContaining(['emails', 'phones', 'tags']));
  });

  it("adds up the source's open deals and keeps the later deal dates, without calling them changed fields", () => {
    const survivor = customer('A', {}, { openDeals: 1, lastOpenDealAt: '2026-01-05T00:00:00.000Z', lastWonDealAt: null });
    const source = customer('B', {}, { openDeals: 2, lastOpenDealAt: '2026-01-01T00:00:00.000Z', lastWonDealAt: '2026-02-01T00:00:00.000Z' });

    const { merged, changed } = mergeProfiles(survivor, source, who, NOW);

    expect(merged).toMatchObject({ openDeals: 3, lastOpenDealAt: '2026-01-05T00:00:00.000Z', lastWonDealAt: '2026-02-01T00:00:00.000Z' });
    expect(changed).not.toEqual(expect.arrayContaining(['openDeals']));
    // Profiles written before deals existed have no facts: none counts as zero and never.
    expect(mergeProfiles(customer('A', {}), customer('B', {}), who, NOW).merged).toMatchObject({ openDeals: 0, lastOpenDealAt: null, lastWonDealAt: null });
  });

  it('keeps the fields the survivor has set and fills the empty ones from the source', () => {
    const survivor = customer('A', { kind: 'company', website: 'a.example', industry: 'Retail' }, { ownerId: null });
    const source = customer('B', { kind: 'company', website: 'b.example', industry: 'Tech', region: 'EMEA', level: 'A', source: 'fair', address: { city: 'Berlin' } }, { teamId: 'north' });

    const { merged } = mergeProfiles(survivor, source, who, NOW);

    expect(merged).toMatchObject({
      id: 'A',
      name: 'A',
      website: 'https://a.example/',
      domain: 'a.example',
      industry: 'Retail',
      region: 'EMEA',
      level: 'A',
      source: 'fair',
      address: { city: 'Berlin' },
      ownerId: 'rep-1',
      teamId: 'north',
      createdAt: T0,
    });
    expect(mergeProfiles({ ...survivor, ownerId: 'rep-9', teamId: null }, source, who, NOW).merged).toMatchObject({ ownerId: 'rep-9', teamId: null });
  });

  it('keeps the more recent consent answer per topic and the later follow-up', () => {
    const survivor = customer('A', {}, {
      consent: { marketing: { granted: true, at: T0, source: 'api' }, calls: { granted: true, at: T1, source: 'api' } },
      lastFollowUpAt: T0,
    });
    const source = customer('B', {}, {
      consent: { marketing: { granted: false, at: T1, source: 'api' }, calls: { granted: false, at: T0, source: 'api' }, news: { granted: true, at: T0, source: 'api' } },
      lastFollowUpAt: T1,
    });

    const { merged, changed } = mergeProfiles(survivor, source, who, NOW);

    expect(merged.consent).toEqual({
      marketing: { granted: false, at: T1, source: 'api' },
      calls: { granted: true, at: T1, source: 'api' },
      news: { granted: true, at: T0, source: 'api' },
    });
    expect(merged.lastFollowUpAt).toBe(T1);
    expect(changed).toEqual(expect.arrayContaining(['consent', 'lastFollowUpAt']));
    expect(mergeProfiles(source, survivor, who, NOW).merged.lastFollowUpAt).toBe(T1);
    expect(mergeProfiles({ ...survivor, lastFollowUpAt: null }, { ...source, lastFollowUpAt: null }, who, NOW).merged.lastFollowUpAt).toBeNull();
  });

  it('keeps the survivor consent on a tie', () => {
    expect(mergeConsent({ m: { granted: true, at: T0, source: 'api' } }, { m: { granted: false, at: T0, source: 'import' } })).toEqual({
      m: { granted: true, at: T0, source: 'api' },
    });
  });

  it('moves the version on and records who merged when', () => {
    const { merged } = mergeProfiles(customer('A', {}, { version: 4 }), customer('B', {}), who, NOW);
    expect(merged).toMatchObject({ version: 5, updatedAt: NOW, updatedBy: 'mgr-1', mergedInto: null });
  });

  it('refuses a union over a limit with a 409 naming the field', () => {
    const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@x.io`);
    const survivor = customer('A', { emails: emails('a', 6) });
    const source = customer('B', { emails: emails('b', MAX_EMAILS - 5) });

    const error = (() => {
      try {
        mergeProfiles(survivor, source, who, NOW);
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(MergeLimitExceeded);
    expect((error as MergeLimitExceeded).extensions).toEqual({ field: 'emails', limit: MAX_EMAILS, count: MAX_EMAILS + 1 });
    const tags = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    expect(() => mergeProfiles(customer('A', { tags: tags('a', MAX_TAGS) }), customer('B', { tags: ['a0'] }), who, NOW)).not.toThrow();
    expect(() => mergeProfiles(customer('A', { tags: tags('a', MAX_TAGS) }), customer('B', { tags: ['new'] }), who, NOW)).toThrow(/tags/);
  });

  it("refuses custom fields that together outgrow a customer's size cap, and keeps the survivor's values", () => {
    const half = (prefix: string) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, 'x'.repeat(MAX_CUSTOM_FIELDS_BYTES / 20)]));
    expect(() => mergeProfiles(customer('A', { customFields: half('a') }), customer('B', { customFields: half('b') }), who, NOW)).toThrow(/customFields/);
    const { merged } = mergeProfiles(customer('A', { customFields: { seats: 5 } }), customer('B', { customFields: { seats: 9, tier: 'gold' } }), who, NOW);
    expect(merged.customFields).toEqual({ seats: 5, tier: 'gold' });
  });
});

describe('guardPlan', () => {
  it("moves the guards of every value the survivor takes and releases a company's second domain", () => {
    const survivor = customer('A', { kind: 'company', emails: ['a@x.io'], domain: 'a.example' });
    const source = customer('B', { kind: 'company', emails: ['b@x.io'], phones: ['+4930222222'], domain: 'b.example' });
    const { merged } = mergeProfiles(survivor, source, caller(['admin']), NOW);

    expect(guardPlan(source, merged)).toEqual({
      move: [{ field: 'email', value: 'b@x.io' }, { field: 'phone', value: '+4930222222' }],
      release: [{ field: 'domain', value: 'b.example' }],
    });
  });

  it('moves the domain to a company survivor that has none', () => {
    const survivor = customer('A', { kind: 'company' });
    const source = customer('B', { kind: 'company', domain: 'b.example' });
    const { merged } = mergeProfiles(survivor, source, caller(['admin']), NOW);

    expect(merged.domain).toBe('b.example');
    expect(guardPlan(source, merged)).toEqual({ move: [{ field: 'domain', value: 'b.example' }], release: [] });
  });
});

describe('merge entries and moved records', () => {
  const survivor = customer('A', {});
  const source = customer('B', {});
  const entries = mergeEntries(survivor, source, caller(['admin'], 'adm-1'), { survivor: 'E1', source: 'E2' }, NOW);

  it('writes a system merge entry on each timeline, naming the other customer', () => {
    expect(entries.survivor).toMatchObject({ id: 'E1', customerId: 'A', type: 'merge', occurredAt: NOW, actor: { type: 'user', id: 'adm-1' } });
    expect(entries.survivor.payload).toEqual({ survivorId: 'A', sourceId: 'B', role: 'survivor' });
    expect(entries.source).toMatchObject({ id: 'E2', customerId: 'B', type: 'merge', subject: 'Merged into A (A)' });
    expect(entries.source.payload).toEqual({ survivorId: 'A', sourceId: 'B', role: 'source' });
  });

  it("moves every record but the profile, bookkeeping and the tombstone's own merge entry", () => {
    const item = (SK: string, extra: Record<string, unknown> = {}) => ({ PK: 'T#acme#C#B', SK, ...extra });

    expect(isMovableRecord(item('ACT#2026#X', { type: 'call' }))).toBe(true);
    expect(isMovableRecord(item('CONTACT#X'))).toBe(true);
    expect(isMovableRecord(item('DEAL#X'))).toBe(true);
    expect(isMovableRecord(item('ACT#2026#Y', { ...entries.survivor }))).toBe(true);
    expect(isMovableRecord(item('PROFILE'))).toBe(false);
    expect(isMovableRecord(item('$EVT#X'))).toBe(false);
    expect(isMovableRecord(item('$DONE#welcome-email'))).toBe(false);
    expect(isMovableRecord(item('ACT#2026#Z', { ...entries.source }))).toBe(false);
  });

  it('rewrites the partition and customerId, nothing else', () => {
    expect(movedRecord({ PK: 'T#acme#C#B', SK: 'CONTACT#X', customerId: 'B', name: 'Grace' }, 'T#acme#C#A', 'A')).toEqual({
      PK: 'T#acme#C#A',
      SK: 'CONTACT#X',
      customerId: 'A',
      name: 'Grace',
    });
    expect(movedRecord({ PK: 'T#acme#C#B', SK: 'OWNER#X', from: 'u' }, 'T#acme#C#A', 'A')).toEqual({ PK: 'T#acme#C#A', SK: 'OWNER#X', from: 'u' });
  });
});

describe('the documented route', () => {
  it('takes an optional If-Match (412 when stale, never 428) and documents 409 and 410', () => {
    const op = buildOpenApiDocument().paths['/customers/{id}/merge']?.post;

    expect(op?.parameters?.find((p) => p.name === 'If-Match')).toMatchObject({ in: 'header', required: false });
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409', '410', '412']));
    expect(op?.responses['428']).toBeUndefined();
  });
});
