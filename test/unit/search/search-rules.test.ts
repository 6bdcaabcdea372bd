import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { ValidationFailed } from '../../../shared/errors';
import { contactRecord, customerRecord, dealRecord, entryChanges, leadRecord, type SearchEntry, searchEntries, searchHit } from '../../../shared/search/search-entry';
import { searchPlan, searchTypes } from '../../../shared/search/search-use-case';
import { mayFind, visibilityFilter } from '../../../shared/search/search-visibility';

const T = 't1';
const profile = (over: Record<string, unknown> = {}) => ({
  PK: 'T#t1#C#C1', SK: 'PROFILE', id: 'C1', name: 'Northwind Traders', kind: 'company', emails: ['info@northwind.test'], phones: ['+44 20 7946 0958'],
  domain: 'northwind.test', lifecycleStage: 'lead', ownerId: 'rep-1', teamId: 'team-a', mergedInto: null, erasedAt: null, ...over,
});
const caller = (userId: string, groups: Caller['groups'], teamId?: string): Caller => ({ userId, tenantId: T, groups, ...(teamId ? { teamId } : {}) });
const entry = (over: Partial<SearchEntry>) => ({ type: 'customer' as const, ...over });

describe('a record\'s index items', () => {
  it('are one per token and kind, keyed by token, carrying what a result shows and who may read it', () => {
    const entries = searchEntries(T, customerRecord(profile())!);
    expect(entries.map((e) => e.SK).sort()).toEqual([
      '2079460958#phone#customer#C1',
      '442079460958#phone#customer#C1',
      'info@northwind.test#email#customer#C1',
      'northwind#name#customer#C1',
      'northwind.test#domain#customer#C1',
      'traders#name#customer#C1',
    ]);
    expect(entries.find((e) => e.token === 'traders')).toMatchObject({
      PK: 'T#t1#SRCH#tr', entity: 'SearchEntry', type: 'customer', id: 'C1', title: 'Northwind Traders', subtitle: 'northwind.test', matched: 'name',
      words: ' northwind traders ', ownerId: 'rep-1', teamId: 'team-a',
    });
  });

  it('are none for a merged or erased customer, and none for the records inside it', () => {
    expect(customerRecord(profile({ mergedInto: 'C2' }))).toBeUndefined();
    expect(customerRecord(profile({ erasedAt: '2026-01-01T00:00:00Z', name: undefined }))).toBeUndefined();
  });

  it('key a contact and a deal by their customer too, so a merge\'s copy does not share keys with the original', () => {
    const scope = { ownerId: 'rep-1', teamId: null };
    const contact = searchEntries(T, contactRecord({ SK: 'CONTACT#K1', id: 'K1', name: 'Grace Hopper', title: 'CTO', emails: [], phones: [] }, 'C1', scope)!);
    expect(contact.map((e) => e.SK)).toEqual(['grace#name#contact#C1#K1', 'hopper#name#contact#C1#K1']);
    expect(searchHit(contact[0]!)).toEqual({ type: 'contact', id: 'K1', title: 'Grace Hopper', subtitle: 'CTO', matched: 'name', ownerId: 'rep-1', customerId: 'C1' });
    const deal = searchEntries(T, dealRecord({ SK: 'DEAL#D1', id: 'D1', name: 'Big Renewal', status: 'open', stageId: 'proposal', ownerId: 'rep-2' }, 'C1', scope)!);
    expect(searchHit(deal[0]!)).toEqual({ type: 'deal', id: 'D1', title: 'Big Renewal', subtitle: 'proposal', matched: 'name', ownerId: 'rep-2', customerId: 'C1' });
  });

  it('index a lead by its person, its company, its email, phone and domain', () => {
    const lead = leadRecord({ id: 'L1', name: 'Ada Lovelace', company: 'Engines Ltd', email: 'ada@engines.test', phone: '+4930123456', domain: null, status: 'new', ownerId: null, teamId: null })!;
    expect(searchEntries(T, lead).map((e) => `${e.matched}:${e.token}`).sort()).toEqual([
      'domain:engines.test', 'email:ada@engines.test', 'name:ada', 'name:engines', 'name:lovelace', 'name:ltd', 'phone:30123456', 'phone:4930123456',
    ]);
    expect(lead).toMatchObject({ title: 'Ada Lovelace', subtitle: 'Engines Ltd · new' });
  });

  it('change by the difference only: a rename deletes the old word and puts the new one, an unrelated edit writes nothing', () => {
    const before = searchEntries(T, customerRecord(profile())!);
    const renamed = searchEntries(T, customerRecord(profile({ name: 'Northwind Partners' }))!);
    const changes = entryChanges(before, renamed);
    expect(changes.remove.map((k) => k.SK)).toEqual(['traders#name#customer#C1']);
    // Every item shows the title, so every item of the record is put again with the new one.
    expect(changes.put.map((e) => e.token)).toContain('partners');
    expect(entryChanges(before, searchEntries(T, customerRecord(profile({ industry: 'x', version: 9 }))!))).toEqual({ put: [], remove: [] });
    expect(entryChanges(before, []).remove).toHaveLength(before.length);
  });
});

describe('who finds what', () => {
  const rep1 = caller('rep-1', ['rep'], 'team-a');
  const manager = caller('mgr', ['manager'], 'team-a');
  const agent = caller('agent', ['agent']);
  const marketer = caller('mkt', ['marketer']);

  it('customers and contacts: a rep their own, a manager the team\'s and the unowned, admins, marketers and agents all', () => {
    const own = entry({ ownerId: 'rep-1', teamId: 'team-a' });
    const colleague = entry({ ownerId: 'rep-2', teamId: 'team-a' });
    const otherTeam = entry({ ownerId: 'rep-3', teamId: 'team-b' });
    const unowned = entry({});
    expect([own, colleague, otherTeam, unowned].map((e) => mayFind(rep1, e))).toEqual([true, false, false, false]);
    expect([own, colleague, otherTeam, unowned].map((e) => mayFind(manager, e))).toEqual([true, true, false, true]);
    expect([own, otherTeam, unowned].every((e) => mayFind(agent, e) && mayFind(caller('adm', ['admin']), e))).toBe(true);
    expect(mayFind(rep1, { ...colleague, type: 'contact' })).toBe(false);
  });

  it('deals: the customer\'s readers and the deal\'s own owner', () => {
    expect(mayFind(rep1, entry({ type: 'deal', ownerId: 'rep-3', teamId: 'team-b', dealOwnerId: 'rep-1' }))).toBe(true);
    expect(mayFind(rep1, entry({ type: 'deal', ownerId: 'rep-3', teamId: 'team-b', dealOwnerId: 'rep-3' }))).toBe(false);
  });

  it('leads: admins and marketers all, a manager the team\'s and the unassigned, anyone their own; agents not all', () => {
    const lead = (ownerId?: string, teamId?: string) => entry({ type: 'lead', ownerId, teamId });
    expect(mayFind(marketer, lead('rep-3', 'team-b'))).toBe(true);
    expect(mayFind(agent, lead('rep-3', 'team-b'))).toBe(false);
    expect(mayFind(agent, lead('agent'))).toBe(true);
    expect(mayFind(manager, lead())).toBe(true);
    expect(mayFind(rep1, lead())).toBe(false);
  });
});

describe('the visibility filter', () => {
  it('is none for an admin who wants every type', () => {
    expect(visibilityFilter(caller('adm', ['admin']), ['customer', 'contact', 'lead', 'deal'])).toEqual({ expression: undefined, names: {}, values: {} });
  });

  it('names each type and its rule for a rep, with only the placeholders it uses', () => {
    const filter = visibilityFilter(caller('rep-1', ['rep']), ['customer', 'deal']);
    expect(filter.expression).toBe('((#type = :customer AND #ownerId = :me) OR (#type = :deal AND (#ownerId = :me OR #dealOwnerId = :me)))');
    expect(filter.names).toEqual({ '#type': 'type', '#ownerId': 'ownerId', '#dealOwnerId': 'dealOwnerId' });
    expect(filter.values).toEqual({ ':customer': 'customer', ':deal': 'deal', ':me': 'rep-1' });
  });

  it('lets a manager see the unowned and the team\'s, and keeps an agent to their own leads while every customer shows', () => {
    expect(visibilityFilter(caller('mgr', ['manager'], 'team-a'), ['customer']).expression).toBe('(#type = :customer AND (attribute_not_exists(#ownerId) OR #teamId = :team))');
    expect(visibilityFilter(caller('agent', ['agent']), ['customer', 'lead']).expression).toBe('(#type = :customer OR (#type = :lead AND #ownerId = :me))');
  });

  it('adds the other words of a name as word prefixes', () => {
    const filter = visibilityFilter(caller('adm', ['admin']), ['customer', 'contact', 'lead', 'deal'], [' trad']);
    expect(filter).toEqual({ expression: 'contains(#words, :w0)', names: { '#words': 'words' }, values: { ':w0': ' trad' } });
  });
});

describe('the query parameters', () => {
  const path = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ValidationFailed ? error.errors.map((e) => e.path) : error;
    }
    return 'no error';
  };

  it('refuse an empty, one-character, unsearchable or over-long q, naming query.q', () => {
    for (const q of [undefined, '', ' x ', '!!', 'x'.repeat(101)]) expect(path(() => searchPlan(q))).toEqual(['query.q']);
    expect(searchPlan('tr').prefix).toBe('tr');
  });

  it('refuse an unknown type, naming query.types; every type when absent', () => {
    expect(path(() => searchTypes('customer,company'))).toEqual(['query.types']);
    expect(path(() => searchTypes(''))).toEqual(['query.types']);
    expect(searchTypes(undefined)).toEqual(['customer', 'contact', 'lead', 'deal']);
    expect(searchTypes('deal,customer,deal')).toEqual(['deal', 'customer']);
  });
});
