import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { FREQUENCY_WRITE_ATTEMPTS, FrequencyCapRepository, MarketingSendContention } from '../../../shared/consent/frequency-cap-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const frequency = () => new FrequencyCapRepository(client(), 'crm-table');
const NOW = '2026-11-23T12:00:00.000Z';
const LATER = '2026-11-30T12:00:00.000Z';
const cap = { maxEmails: 3, windowDays: 7 };
const KEY = { PK: 'T#acme#C#c-1', SK: '$MKT#FREQ' };
const lostRace = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: item ? (marshall(item) as never) : undefined });
const stored = (version: number, sends: { sendId: string; at: string }[]) => ({ ...KEY, entity: 'MarketingFrequency', version, sends });

beforeEach(() => ddb.reset());

describe('FrequencyCapRepository', () => {
  it('creates the item for a first send, conditional on its absence, with a TTL', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    expect(await frequency().reserveMarketingSend('acme', 'c-1', 's-1', NOW, cap)).toEqual({ reserved: true });
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ ConditionExpression: 'attribute_not_exists(PK)', Item: { ...KEY, version: 1, sends: [{ sendId: 's-1', at: NOW }], expiresAt: Date.parse(NOW) / 1000 + 90 * 86400 } });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: KEY, ConsistentRead: true });
  });

  it('writes over the version it read', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(4, [{ sendId: 's-0', at: '2026-11-22T12:00:00.000Z' }]) });
    ddb.on(PutCommand).resolves({});
    await frequency().reserveMarketingSend('acme', 'c-1', 's-1', NOW, cap);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
      Item: { version: 5, sends: [{ sendId: 's-1', at: NOW }, { sendId: 's-0', at: '2026-11-22T12:00:00.000Z' }] },
    });
  });

  it('after a lost race decides again on the item the failure returned, and can end capped', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(1, [{ sendId: 'a', at: NOW }]) });
    ddb.on(PutCommand).rejectsOnce(lostRace(stored(3, [{ sendId: 'a', at: NOW }, { sendId: 'b', at: NOW }, { sendId: 'c', at: NOW }])));
    expect(await frequency().reserveMarketingSend('acme', 'c-1', 'd', NOW, cap)).toEqual({ reserved: false, reason: 'capped', nextAllowedAt: LATER });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('retries a lost race on the newer version and is stored', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejectsOnce(lostRace(stored(1, [{ sendId: 'a', at: NOW }]))).resolves({});
    expect(await frequency().reserveMarketingSend('acme', 'c-1', 'b', NOW, cap)).toEqual({ reserved: true });
    const second = ddb.commandCalls(PutCommand)[1]!.args[0].input;
    expect(second).toMatchObject({ ExpressionAttributeValues: { ':expected': 1 }, Item: { version: 2 } });
    expect((second.Item!.sends as unknown[]).length).toBe(2);
  });

  it('a lost race to the same send id (a retried batch) counts it once: reserved, no second write', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejectsOnce(lostRace(stored(1, [{ sendId: 's-1', at: NOW }])));
    expect(await frequency().reserveMarketingSend('acme', 'c-1', 's-1', NOW, cap)).toEqual({ reserved: true });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('gives up with a retryable error after losing every attempt', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejects(lostRace());
    await expect(frequency().reserveMarketingSend('acme', 'c-1', 's-1', NOW, cap)).rejects.toBeInstanceOf(MarketingSendContention);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(FREQUENCY_WRITE_ATTEMPTS);
  });

  it('passes other DynamoDB failures through', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(frequency().reserveMarketingSend('acme', 'c-1', 's-1', NOW, cap)).rejects.toThrow('throttled');
  });

  it('releases a recorded send over the version read, and nothing for an unknown one', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(2, [{ sendId: 'a', at: NOW }, { sendId: 'b', at: NOW }]) });
    ddb.on(PutCommand).resolves({});
    expect(await frequency().releaseMarketingSend('acme', 'c-1', 'a')).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ ExpressionAttributeValues: { ':expected': 2 }, Item: { version: 3, sends: [{ sendId: 'b', at: NOW }] } });
    expect(await frequency().releaseMarketingSend('acme', 'c-1', 'zzz')).toBe(false);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
  });
});
