import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { newDeal } from '../../../shared/deals/deal';
import { dealItem } from '../../../shared/deals/deal-items';
import { dealFilterExpression, everyDealPlans, matchesDealFilter, parseDealListQuery, planDealList } from '../../../shared/deals/deal-list-query';
import { decodeDealListCursor } from '../../../shared/deals/deal-list-repository';
import { Forbidden } from '../../../shared/errors';
import { encodeCursor } from '../../../shared/pagination';
import { newPipeline } from '../../../shared/pipelines/pipeline';
import { validationPaths } from '../validation-paths';

const rep: Caller = { userId: 'ann', tenantId: 't1', groups: ['rep'], teamId: 'north' };
const manager: Caller = { userId: 'mia', tenantId: 't1', groups: ['manager'], teamId: 'north' };
const admin: Caller = { userId: 'ada', tenantId: 't1', groups: ['admin'] };
const P = '01JD5X8Q2V3M4N5P6R7S8T9VWX';
const C = '01JD5X8Q2V3M4N5P6R7S8T9VWY';

const plan = (query: Record<string, string>, caller: Caller) => planDealList(parseDealListQuery(query), caller);
const errorPaths = validationPaths;

describe('GET /deals: which list a filter combination reads', () => {
  it('an owner (me, named, or a rep by default) reads the owner index of one status, open by default; other filters ride on the same Query', () => {
    expect(plan({}, rep)).toMatchObject({ source: 'owner', index: { name: 'GSI5' }, partition: 'T#t1#DEALOWNER#ann#open', filter: {} });
    expect(plan({ owner: 'me', status: 'won', pipelineId: P, stageId: 'proposal', customerId: C }, rep)).toMatchObject({
      source: 'owner',
      partition: 'T#t1#DEALOWNER#ann#won',
      filter: { pipelineId: P, stageId: 'proposal', customerId: C },
    });
    expect(plan({ owner: 'bob', status: 'lost' }, admin)).toMatchObject({ source: 'owner', partition: 'T#t1#DEALOWNER#bob#lost' });
    expect(plan({ owner: 'bob' }, manager)).toMatchObject({ source: 'owner', partition: 'T#t1#DEALOWNER#bob#open', filter: { managedTeam: { teamId: 'north', managerId: 'mia' } } });
  });

  it('without an owner: the customer partition, else a board column, else the tenant close-date index', () => {
    expect(plan({ customerId: C, status: 'lost' }, admin)).toMatchObject({ source: 'customer', partition: `T#t1#C#${C}`, skPrefix: 'DEAL#', filter: { status: 'lost' } });
    expect(plan({ customerId: C }, admin).index).toBeUndefined();
    expect(plan({ pipelineId: P, stageId: 'proposal' }, admin)).toMatchObject({ source: 'column', index: { name: 'GSI1' }, partition: `T#t1#PIPE#${P}#STAGE#proposal`, filter: {} });
    expect(plan({ pipelineId: P, status: 'won', stageId: 'proposal' }, admin)).toMatchObject({ source: 'column', partition: `T#t1#PIPE#${P}#WON`, filter: { stageId: 'proposal' } });
    expect(plan({ pipelineId: P, status: 'lost' }, manager)).toMatchObject({ source: 'column', partition: `T#t1#PIPE#${P}#LOST`, filter: { managedTeam: { teamId: 'north' } } });
    expect(plan({ pipelineId: P }, admin)).toMatchObject({ source: 'tenant', index: { name: 'GSI4' }, partition: 'T#t1#DEALS#CLOSE', filter: { status: 'open', pipelineId: P } });
    expect(plan({ status: 'won' }, manager)).toMatchObject({ source: 'tenant', filter: { status: 'won', managedTeam: { teamId: 'north', managerId: 'mia' } } });
  });

  it('lost deals of the whole tenant have no index: 400 naming query.status', () => {
    expect(errorPaths(() => plan({ status: 'lost' }, admin))).toEqual(['query.status']);
  });

  it('a rep naming another owner is a 403; managers and admins may', () => {
    expect(() => plan({ owner: 'bob' }, rep)).toThrow(Forbidden);
    expect(() => plan({ owner: 'ann' }, rep)).not.toThrow();
    expect(() => plan({ owner: 'bob' }, { ...rep, groups: ['marketer'] })).toThrow(Forbidden);
  });

  it('bad input is a 400 naming the parameter', () => {
    expect(errorPaths(() => parseDealListQuery({ status: 'closed' }))).toEqual(['query.status']);
    expect(errorPaths(() => parseDealListQuery({ stageId: 'proposal' }))).toEqual(['query.pipelineId']);
    expect(errorPaths(() => parseDealListQuery({ limit: '0' }))).toEqual(['query.limit']);
    expect(errorPaths(() => parseDealListQuery({ limit: '101' }))).toEqual(['query.limit']);
    expect(errorPaths(() => parseDealListQuery({ pipelineId: 'a#b' }))).toEqual(['query.pipelineId']);
    expect(errorPaths(() => parseDealListQuery({ owner: 'x#y' }))).toEqual(['query.owner']);
    expect(errorPaths(() => parseDealListQuery({ color: 'red' }))).toEqual(['query.color']);
  });

  it('cursors are accepted only for the list they came from', () => {
    const owner = plan({}, rep);
    const key = { PK: `T#t1#C#${C}`, SK: 'DEAL#d1', GSI5PK: owner.partition, GSI5SK: '2027-01-01#d1' };
    expect(decodeDealListCursor(encodeCursor(key)!, owner, 't1')).toEqual(key);
    expect(errorPaths(() => decodeDealListCursor(encodeCursor({ ...key, GSI5PK: 'T#t1#DEALOWNER#bob#open' })!, owner, 't1'))).toEqual(['query.cursor']);
    expect(errorPaths(() => decodeDealListCursor(encodeCursor({ ...key, PK: 'T#t2#C#x' })!, owner, 't1'))).toEqual(['query.cursor']);
    const customer = plan({ customerId: C }, admin);
    expect(decodeDealListCursor(encodeCursor({ PK: `T#t1#C#${C}`, SK: 'DEAL#d1' })!, customer, 't1')).toEqual({ PK: `T#t1#C#${C}`, SK: 'DEAL#d1' });
    expect(errorPaths(() => decodeDealListCursor(encodeCursor({ PK: `T#t1#C#${C}`, SK: 'PROFILE' })!, customer, 't1'))).toEqual(['query.cursor']);
  });
});

describe('deal list filters', () => {
  const pipeline = newPipeline({ name: 'S', stages: [{ id: 'proposal', name: 'P', probability: 50 }] }, admin, P, '2027-01-01T00:00:00.000Z');
  const deal = newDeal({ customerId: C, pipelineId: P, name: 'x', amount: '1', currency: 'EUR', expectedCloseDate: '2027-03-01' }, pipeline, { id: 'bob', teamId: 'south' }, admin, 'd1', '2027-01-01T00:00:00.000Z');

  it('the deal item carries its owner index entry: owner and status in the key, expected close date first in the sort key', () => {
    expect(dealItem(deal)).toMatchObject({ GSI5PK: 'T#t1#DEALOWNER#bob#open', GSI5SK: '2027-03-01#d1' });
    expect(dealItem({ ...deal, status: 'lost', ownerId: 'ann' })).toMatchObject({ GSI5PK: 'T#t1#DEALOWNER#ann#lost' });
  });

  it("a manager sees their team's deals and their own, nothing else", () => {
    const team = { managedTeam: { teamId: 'north', managerId: 'mia' } };
    expect(matchesDealFilter(deal, team)).toBe(false);
    expect(matchesDealFilter({ ...deal, teamId: 'north' }, team)).toBe(true);
    expect(matchesDealFilter({ ...deal, ownerId: 'mia', teamId: null }, team)).toBe(true);
    expect(matchesDealFilter({ ...deal, teamId: 'north' }, { managedTeam: { teamId: null, managerId: 'mia' } })).toBe(false);
  });

  it('the FilterExpression says what matchesDealFilter says', () => {
    const f = dealFilterExpression({ status: 'won', pipelineId: P, managedTeam: { teamId: 'north', managerId: 'mia' } });
    expect(f.expression).toBe('#f0 = :f0 AND #f1 = :f1 AND (#f2 = :f2 OR #f3 = :f3)');
    expect(f.names).toEqual({ '#f0': 'status', '#f1': 'pipelineId', '#f2': 'ownerId', '#f3': 'teamId' });
    expect(f.values).toEqual({ ':f0': 'won', ':f1': P, ':f2': 'mia', ':f3': 'north' });
    expect(dealFilterExpression({}).expression).toBeUndefined();
    expect(dealFilterExpression({ managedTeam: { teamId: null, managerId: 'mia' } }).expression).toBe('#f0 = :f0');
  });
});

describe('every deal a caller may list (an export)', () => {
  const pipeline = { ...newPipeline({ name: 'P', stages: [{ id: 'a', name: 'A', probability: 10 }, { id: 'b', name: 'B', probability: 50 }] }, admin, P, '2026-01-01T00:00:00.000Z'), retiring: [{ id: 'old', name: 'Old', probability: 5, forecastCategory: 'pipeline' as const, moveTo: 'a' }] };

  it("reads a rep's own three status lists, and for managers and admins each pipeline's columns, each deal in exactly one", () => {
    expect(everyDealPlans(rep, [pipeline], 100).map((p) => p.partition)).toEqual(['T#t1#DEALOWNER#ann#open', 'T#t1#DEALOWNER#ann#won', 'T#t1#DEALOWNER#ann#lost']);
    const columns = everyDealPlans(admin, [pipeline], 100);
    expect(columns.map((p) => p.partition)).toEqual(['STAGE#a', 'STAGE#b', 'STAGE#old', 'WON', 'LOST'].map((column) => `T#t1#PIPE#${P}#${column}`));
    expect(columns.every((p) => p.source === 'column' && p.limit === 100 && p.filter.managedTeam === undefined)).toBe(true);
    expect(everyDealPlans(manager, [pipeline], 100).every((p) => p.filter.managedTeam?.managerId === 'mia')).toBe(true);
  });
});
