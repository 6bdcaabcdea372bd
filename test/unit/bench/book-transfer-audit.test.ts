import { describe, expect, it } from 'vitest';
import { auditPartition, exactlyOnce, itemsThatMustChange, itemsWithRecords, shapeDifferences } from '../../../bench/book-transfer-audit';

// The book-transfer benchmark's definitions and its exactly-once check (docs/benchmarks.md).

const profile = (ownerId: string) => ({ PK: 'T#t#C#C1', SK: 'PROFILE', ownerId });
const history = (from: string, to: string, reason = 'assigned') => ({ SK: `OWNER#2026#${from}${to}`, entity: 'OwnershipChange', reason, from, to });
const event = (from: string, to: string) => ({ SK: `$EVT#${from}${to}`, entity: 'OutboxEvent', detailType: 'crm.customer.assigned.v1', detail: { data: { fromOwnerId: from, toOwnerId: to } } });
const deal = (id: string, status: string, ownerId: string) => ({ SK: `DEAL#${id}`, status, ownerId });
const task = (id: string, status: string, assigneeId: string) => ({ SK: `TASK#${id}`, status, assigneeId });

describe('items that must change', () => {
  it('are the profiles, open deals and open tasks; the history entry and event are counted only in the second figure', () => {
    expect(itemsThatMustChange({ customers: 10_000, openDeals: 2_000, openTasks: 500 })).toBe(12_500);
    expect(itemsWithRecords({ customers: 10_000, openDeals: 2_000, openTasks: 500 })).toBe(32_500);
  });
});

describe('auditPartition and exactlyOnce', () => {
  it('accept a customer moved once with its open deals and tasks, its won deal kept', () => {
    const moved = auditPartition(
      [profile('heir'), history(null as never, 'leaver', 'created'), history('leaver', 'heir'), event('leaver', 'heir'), deal('D1', 'open', 'heir'), deal('D2', 'won', 'leaver'), task('T1', 'open', 'heir'), task('T2', 'done', 'leaver')],
      'leaver',
      'heir',
    );
    expect(moved).toMatchObject({ ownedByTarget: true, assignedEntries: 1, assignedEvents: 1, openDeals: 1, openDealsOfTarget: 1, closedDeals: 1, closedDealsKept: 1, openTasks: 1, openTasksOfTarget: 1 });
    expect(exactlyOnce([moved]).ok).toBe(true);
  });

  it('name a customer moved twice, one left behind, and a won deal or open task that went the wrong way', () => {
    const twice = auditPartition([profile('heir'), history('leaver', 'heir'), { ...history('leaver', 'heir'), SK: 'OWNER#2' }, event('leaver', 'heir'), event('leaver', 'heir')], 'leaver', 'heir');
    const left = auditPartition([profile('leaver'), deal('D1', 'open', 'leaver'), deal('D2', 'lost', 'heir'), task('T1', 'open', 'leaver')], 'leaver', 'heir');

    expect(exactlyOnce([twice, left]).failures).toEqual({ notOwnedByTarget: 1, historyEntriesNotOne: 2, eventsNotOne: 2, openDealsLeftBehind: 1, closedDealsMoved: 1, openTasksLeftBehind: 1 });
  });
});

describe('shapeDifferences', () => {
  it('names the attributes an API-written item and a seeded one do not share, per kind', () => {
    const api = [{ SK: 'PROFILE', a: 1, b: 2 }, { SK: 'DEAL#1', status: 'open', x: 1 }];
    const direct = [{ SK: 'PROFILE', a: 1, c: 3 }, { SK: 'DEAL#2', status: 'open', x: 2 }];
    expect(shapeDifferences(api, direct)).toEqual({ profile: { onlyApi: ['b'], onlyDirect: ['c'] } });
  });
});
