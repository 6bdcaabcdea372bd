import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  canRead,
  canWrite,
  createCustomerInput,
  type Customer,
  customerPatch,
  customerView,
  newCustomer,
} from '../../../shared/customers/customer';
import type { Caller } from '../../../shared/access/caller';

const caller = (groups: Caller['groups'], userId = 'u-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const NOW = '2026-11-22T10:00:00.000Z';
const LATER = '2026-11-23T10:00:00.000Z';
const create = (body: unknown, who = caller(['rep'])) => newCustomer(createCustomerInput.parse(body), who, 'c-1', NOW);

describe('createCustomerInput', () => {
  it('normalizes emails, phones and the domain while parsing', () => {
    const input = createCustomerInput.parse({ name: ' A ', emails: ['A@X.io'], phones: ['+49 30 123456'], domain: 'WWW.X.io' });
    expect(input).toMatchObject({ name: 'A', emails: ['a@x.io'], phones: ['+4930123456'], domain: 'x.io' });
  });

  it('rejects unknown fields and invalid values by path', () => {
    const result = createCustomerInput.safeParse({ name: 'A', emails: ['nope'], lifecycleStage: 'prospect', extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => [...i.path, ...('keys' in i ? i.keys : [])].join('.'));
    expect(paths.sort()).toEqual(['emails.0', 'extra', 'lifecycleStage']);
  });

  it('caps emails at 10 so a create fits one transaction', () => {
    const emails = Array.from({ length: 11 }, (_, i) => `a${i}@x.io`);
    expect(createCustomerInput.safeParse({ name: 'A', emails }).success).toBe(false);
  });
});

describe('newCustomer', () => {
  it('makes the creating rep the owner', () => {
    expect(create({ name: 'A' }).ownerId).toBe('u-1');
  });

  it('leaves a customer entered by a manager unowned', () => {
    expect(create({ name: 'A' }, caller(['manager'])).ownerId).toBeNull();
  });

  it('defaults to a person in the lead stage with no consent', () => {
    expect(create({ name: 'A' })).toMatchObject({ kind: 'person', lifecycleStage: 'lead', consent: {}, version: 1 });
  });

  it('records each consent topic with its time and source', () => {
    expect(create({ name: 'A', consent: { marketing: true, newsletter: false } }).consent).toEqual({
      marketing: { granted: true, at: NOW, source: 'api' },
      newsletter: { granted: false, at: NOW, source: 'api' },
    });
  });

  it('derives a company\'s domain from its website', () => {
    expect(create({ kind: 'company', name: 'A', website: 'https://www.acme.example/x' }).domain).toBe('acme.example');
  });

  it('gives a person no domain', () => {
    expect(create({ kind: 'person', name: 'A', website: 'https://ada.example' }).domain).toBeNull();
  });

  it('drops duplicate emails and tags', () => {
    expect(create({ name: 'A', emails: ['a@x.io', 'A@x.io'], tags: ['t', 't'] })).toMatchObject({ emails: ['a@x.io'], tags: ['t'] });
  });
});

describe('applyPatch', () => {
  const base = create({ kind: 'company', name: 'A', website: 'https://a.example', industry: 'x', consent: { marketing: true } });
  const apply = (body: unknown) => applyPatch(base, customerPatch.parse(body), caller(['rep'], 'u-2'), LATER);

  it('replaces present fields, clears nulls, keeps missing ones, and bumps the version', () => {
    const { after, changed } = apply({ industry: null, region: 'EMEA' });
    expect(after).toMatchObject({ industry: null, region: 'EMEA', name: 'A', version: 2, updatedAt: LATER, updatedBy: 'u-2' });
    expect(changed).toEqual(['industry', 'region']);
  });

  it('changes nothing (not even the version) for a patch that changes nothing', () => {
    const { after, changed } = apply({ industry: 'x' });
    expect(changed).toEqual([]);
    expect(after).toBe(base);
  });

  it('moves the domain with the website unless a domain is given', () => {
    expect(apply({ website: 'https://b.example' }).after.domain).toBe('b.example');
    expect(apply({ website: 'https://b.example', domain: 'c.example' }).after.domain).toBe('c.example');
    expect(apply({ website: null }).after.domain).toBeNull();
  });

  it('merges consent by topic and keeps the original time of an unchanged answer', () => {
    const { after, changed } = apply({ consent: { marketing: true, newsletter: true } });
    expect(after.consent.marketing).toEqual({ granted: true, at: NOW, source: 'api' });
    expect(after.consent.newsletter).toEqual({ granted: true, at: LATER, source: 'api' });
    expect(changed).toEqual(['consent']);
  });
});

describe('canRead and canWrite', () => {
  const inTeam = (who: Caller, teamId: string | undefined) => ({ ...who, ...(teamId ? { teamId } : {}) });
  const owned = create({ name: 'A' }, inTeam(caller(['rep'], 'owner'), 'north'));
  const unowned = create({ name: 'B' }, caller(['admin']));

  it('records the owning rep\'s team on the customer', () => {
    expect([owned.ownerId, owned.teamId]).toEqual(['owner', 'north']);
    expect([unowned.ownerId, unowned.teamId]).toEqual([null, null]);
  });

  it.each([
    ['the owning rep', caller(['rep'], 'owner'), true, true],
    ['another rep', caller(['rep'], 'other'), false, false],
    ["the owner's team manager", inTeam(caller(['manager']), 'north'), true, true],
    ["another team's manager", inTeam(caller(['manager']), 'south'), false, false],
    ['a manager without a team', caller(['manager']), false, false],
    ['an admin', caller(['admin']), true, true],
    ['a service agent', caller(['agent']), true, false],
    ['a marketer', caller(['marketer']), true, false],
    ['a user without groups', caller([]), false, false],
    ['an admin of another tenant', caller(['admin'], 'x', 'other-tenant'), false, false],
  ])('%s: read %s, write %s', (_, who, read, write) => {
    expect([canRead(who, owned), canWrite(who, owned)]).toEqual([read, write]);
  });
  it.each([
    ['any manager', inTeam(caller(['manager']), 'south'), true, true],
    ['a manager without a team', caller(['manager']), true, true],
    ['a rep', caller(['rep']), false, false],
  ])('an unowned customer: %s reads %s, writes %s', (_, who, read, write) => {
    expect([canRead(who, unowned), canWrite(who, unowned)]).toEqual([read, write]);
  });
});

describe('customerView', () => {
  it('exposes no keys or internal attributes, and consent as topic -> granted', () => {
    const c = { ...create({ name: 'A', consent: { marketing: true } }), PK: 'x', GSI1PK: 'y' } as Customer;
    const view = customerView(c);
    expect(Object.keys(view)).not.toContain('PK');
    expect(Object.keys(view)).not.toContain('GSI1PK');
    expect(Object.keys(view)).not.toContain('tenantId');
    expect(view.consent).toEqual({ marketing: true });
  });
});
