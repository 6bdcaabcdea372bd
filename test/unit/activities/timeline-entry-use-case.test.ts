import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../../shared/activities/activity';
import { ActivityRepository, type EntryWrite } from '../../../shared/activities/activity-repository';
import { recordTimelineEntry, type TimelineEntryDeps } from '../../../shared/activities/timeline-entry-use-case';
import type { Customer } from '../../../shared/customers/customer';
import { keys } from '../../../shared/keys';

const fixture = (detailType: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/fixtures', `${detailType}.json`), 'utf8')) as Record<string, unknown> & { data: Record<string, unknown> };
const busEvent = (detailType: string, detail: Record<string, unknown> = fixture(detailType)) => ({ id: 'eb-1', 'detail-type': detailType, source: 'crm', time: '2027-01-15T10:00:00Z', detail });

/** The table as far as the consumer sees it: profiles (live, merged, erased) and entries keyed like the repository's. */
function fakeTable(profiles: Record<string, Partial<Customer>>) {
  const entries = new Map<string, Activity>();
  const live = (id: string) => Boolean(profiles[id] && !profiles[id]!.mergedInto && !profiles[id]!.erasedAt);
  const deps: TimelineEntryDeps = {
    timeline: {
      recordOnce: async (tenantId: string, activity: Activity): Promise<EntryWrite> => {
        const key = JSON.stringify(keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id));
        if (entries.has(key)) return 'duplicate';
        if (!live(activity.customerId)) return 'customer-gone';
        entries.set(key, activity);
        return 'recorded';
      },
    },
    customers: { get: async (_tenantId: string, id: string) => (profiles[id] ? ({ id, mergedInto: null, erasedAt: null, ...profiles[id] } as Customer) : undefined) },
  };
  return { deps, entries: () => [...entries.values()] };
}

const won = fixture('crm.deal.won.v1');
const customerId = won.data.customerId as string;

describe('recordTimelineEntry', () => {
  it('writes the entry with the event id as its id, the event time as its time and the event actor', async () => {
    const table = fakeTable({ [customerId]: {} });

    const result = await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'));

    expect(result).toEqual({ written: 'recorded', customerId, activityId: won.id });
    expect(table.entries()).toEqual([
      expect.objectContaining({ id: won.id, customerId, type: 'deal', occurredAt: won.occurredAt, actor: won.actor, body: null, subject: expect.stringMatching(/^Deal won/) }),
    ]);
  });

  it('writes nothing new for a redelivered event', async () => {
    const table = fakeTable({ [customerId]: {} });

    await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'));
    const again = await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'));

    expect(again).toMatchObject({ written: 'duplicate' });
    expect(table.entries()).toHaveLength(1);
  });

  it('writes nothing for an erased customer, and counts the event as handled (no throw, no retry)', async () => {
    const table = fakeTable({ [customerId]: { erasedAt: '2027-01-14T00:00:00.000Z' } });

    expect(await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'))).toMatchObject({ written: 'customer-gone', customerId });
    expect(table.entries()).toEqual([]);
  });

  it('writes nothing for a customer that does not exist', async () => {
    const table = fakeTable({});
    expect(await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'))).toMatchObject({ written: 'customer-gone' });
    expect(table.entries()).toEqual([]);
  });

  it('follows a merge to the survivor, through more than one merge', async () => {
    const table = fakeTable({ [customerId]: { mergedInto: 'middle' }, middle: { mergedInto: 'survivor' }, survivor: {} });

    expect(await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1'))).toMatchObject({ written: 'recorded', customerId: 'survivor' });
    expect(table.entries().map((e) => e.customerId)).toEqual(['survivor']);
  });

  it('ignores events without a row, malformed details, and a lead task (about no customer)', async () => {
    const table = fakeTable({ [customerId]: {} });
    const leadTask = fixture('crm.task.created.v1');

    expect(await recordTimelineEntry(table.deps, busEvent('crm.task.completed.v1'))).toEqual({ ignored: 'not-covered' });
    expect(await recordTimelineEntry(table.deps, { nonsense: true })).toEqual({ ignored: 'not-covered' });
    expect(await recordTimelineEntry(table.deps, busEvent('crm.deal.won.v1', { ...won, data: { dealId: 'd' } }))).toEqual({ ignored: 'malformed' });
    expect(await recordTimelineEntry(table.deps, busEvent('crm.task.created.v1', { ...leadTask, data: { ...leadTask.data, customerId: null, dealId: null, leadId: 'l-1' } }))).toEqual({
      ignored: 'no-customer',
    });
    expect(table.entries()).toEqual([]);
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new ActivityRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const cancelled = (profile: string, entry: string) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: profile }, { Code: entry }] });
const activity: Activity = {
  id: 'E1', customerId: 'c-1', type: 'deal', occurredAt: '2027-01-15T10:00:00.000Z', subject: 'Deal won', body: null, payload: {}, actor: { type: 'user', id: 'rep-1' }, loggedAt: '2027-01-15T10:00:01.000Z',
};

describe('ActivityRepository.recordOnce', () => {
  beforeEach(() => ddb.reset());

  it('puts the entry only where none is, beside a live profile, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().recordOnce('acme', activity)).toBe('recorded');

    const [profile, entry] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(profile!.ConditionCheck).toMatchObject({ Key: { PK: 'T#acme#C#c-1', SK: 'PROFILE' }, ConditionExpression: expect.stringContaining('erasedAt') });
    expect(entry!.Put).toMatchObject({ Item: { PK: 'T#acme#C#c-1', SK: 'ACT#2027-01-15T10:00:00.000Z#E1', entity: 'Activity', type: 'deal' }, ConditionExpression: 'attribute_not_exists(PK)' });
  });

  it('answers duplicate when the entry is there and customer-gone when the profile is not live', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).rejectsOnce(cancelled('ConditionalCheckFailed', 'None'));

    expect(await repository().recordOnce('acme', activity)).toBe('duplicate');
    expect(await repository().recordOnce('acme', activity)).toBe('customer-gone');
  });
});
