import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MarketingSendReads } from '../../../shared/consent/marketing-send-read-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const reads = () => new MarketingSendReads(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
/** Answers each GetItem by its sort key, as the table would hold them. */
const holding = (items: Record<string, Record<string, unknown> | undefined>) => ddb.on(GetCommand).callsFake((input: { Key: { SK: string } }) => ({ Item: items[input.Key.SK] }));

beforeEach(() => ddb.reset());

describe('the last read before SES (stillLive)', () => {
  it('reads consistently and only what says whether the recipient is there', async () => {
    holding({ PROFILE: { erasedAt: null, mergedInto: null } });
    expect(await reads().stillLive('t1', { kind: 'customer', id: 'C1' })).toBe(true);
    const [call] = ddb.commandCalls(GetCommand);
    expect(call!.args[0].input).toMatchObject({ Key: { PK: 'T#t1#C#C1', SK: 'PROFILE' }, ConsistentRead: true, ProjectionExpression: 'erasedAt, mergedInto' });
  });

  it('says gone for an erased or merged customer, an erased or converted lead, a removed contact or one of an erased company', async () => {
    holding({ PROFILE: { erasedAt: '2027-01-01T00:00:00.000Z' } });
    expect(await reads().stillLive('t1', { kind: 'customer', id: 'C1' })).toBe(false);
    holding({ PROFILE: { mergedInto: 'C2' } });
    expect(await reads().stillLive('t1', { kind: 'customer', id: 'C1' })).toBe(false);
    holding({ PROFILE: { status: 'converted' } });
    expect(await reads().stillLive('t1', { kind: 'lead', id: 'L1' })).toBe(false);
    holding({ PROFILE: { status: 'nurture' } });
    expect(await reads().stillLive('t1', { kind: 'lead', id: 'L1' })).toBe(true);
    holding({ PROFILE: { erasedAt: null }, 'CONTACT#K1': undefined });
    expect(await reads().stillLive('t1', { kind: 'contact', id: 'K1', customerId: 'C1' })).toBe(false);
    holding({ PROFILE: { erasedAt: '2027-01-01T00:00:00.000Z' }, 'CONTACT#K1': { PK: 'x' } });
    expect(await reads().stillLive('t1', { kind: 'contact', id: 'K1', customerId: 'C1' })).toBe(false);
    holding({ PROFILE: {}, 'CONTACT#K1': { PK: 'x' } });
    expect(await reads().stillLive('t1', { kind: 'contact', id: 'K1', customerId: 'C1' })).toBe(true);
    holding({});
    expect(await reads().stillLive('t1', { kind: 'customer', id: 'C9' })).toBe(false);
  });
});
