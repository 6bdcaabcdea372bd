import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressHash, type Suppression } from '../../../shared/consent/suppression';
import { SuppressionRepository } from '../../../shared/consent/suppression-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = () => new SuppressionRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const entry = (reason: Suppression['reason']): Suppression => ({ addressHash: addressHash('ada@example.com'), email: 'ada@example.com', reason, at: '2026-11-23T12:00:00.000Z', messageId: null, addedBy: null, note: null });

beforeEach(() => ddb.reset());

describe('SuppressionRepository', () => {
  it('looks up a batch 100 keys at a time, reading only the key, and names the suppressed addresses normalized', async () => {
    const addresses = Array.from({ length: 150 }, (_, i) => `User${i}@Example.com`);
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { SK: string }[] }> }) => {
      const keys = input.RequestItems['crm-table']!.Keys;
      // Addresses 3 and 120 are suppressed.
      const hit = keys.filter((k) => [addressHash('user3@example.com'), addressHash('user120@example.com')].includes(k.SK.slice('EMAIL#'.length)));
      return { Responses: { 'crm-table': hit.map((k) => ({ SK: k.SK })) } };
    });
    expect([...(await repo().suppressedAmong('acme', addresses))].sort()).toEqual(['user120@example.com', 'user3@example.com']);
    const calls = ddb.commandCalls(BatchGetCommand);
    expect(calls.map((c) => c.args[0].input.RequestItems!['crm-table']!.Keys!.length)).toEqual([100, 50]);
    expect(calls[0]!.args[0].input.RequestItems!['crm-table']).toMatchObject({ ProjectionExpression: 'SK' });
    expect(calls[0]!.args[0].input.RequestItems!['crm-table']!.Keys![0]).toEqual({ PK: 'T#acme#SUPPRESSED', SK: `EMAIL#${addressHash('user0@example.com')}` });
  });

  it('reads unprocessed keys again', async () => {
    const key = { PK: 'T#acme#SUPPRESSED', SK: `EMAIL#${addressHash('ada@example.com')}` };
    ddb.on(BatchGetCommand).resolvesOnce({ Responses: { 'crm-table': [] }, UnprocessedKeys: { 'crm-table': { Keys: [key] } } }).resolves({ Responses: { 'crm-table': [{ SK: key.SK }] } });
    expect([...(await repo().suppressedAmong('acme', ['ada@example.com']))]).toEqual(['ada@example.com']);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('a manual entry is added only when absent; a bounce or complaint also replaces a manual one', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await repo().add('acme', entry('manual'))).toBe(true);
    expect(await repo().add('acme', entry('complaint'))).toBe(true);
    const [manual, complaint] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(manual).toMatchObject({ ConditionExpression: 'attribute_not_exists(PK)' });
    expect(complaint).toMatchObject({ ConditionExpression: 'attribute_not_exists(PK) OR reason = :manual', ExpressionAttributeValues: { ':manual': 'manual' } });
  });

  it('reports an existing entry it kept', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await repo().add('acme', entry('hard-bounce'))).toBe(false);
  });
});
