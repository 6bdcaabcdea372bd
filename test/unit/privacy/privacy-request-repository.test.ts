import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressHash } from '../../../shared/consent/suppression-key';
import type { PrivacyRequest } from '../../../shared/privacy/privacy-request';
import { PrivacyRequestRepository } from '../../../shared/privacy/privacy-request-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = () => new PrivacyRequestRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const request: PrivacyRequest = {
  id: 'R1', tenantId: 'acme', type: 'erasure', status: 'running', addressKinds: ['email'], found: [], done: [],
  requestedBy: 'admin-1', requestedAt: '2026-12-07T12:00:00.000Z', completedAt: null,
};

describe('PrivacyRequestRepository', () => {
  beforeEach(() => ddb.reset());

  it('reads the guards of both addresses and the suppression entry in one consistent BatchGetItem, by key', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'crm-table': [{ PK: 'T#acme#UQ#EMAIL#jane@example.com', SK: 'UQ', customerId: 'C1' }, { PK: 'T#acme#LUQ#PHONE#+49301234567', SK: 'UQ', leadId: 'L1' }] } });
    const holders = await repo().holders('acme', { email: 'jane@example.com', phone: '+49301234567' });
    expect(holders).toEqual({ customerIds: ['C1'], leadIds: ['L1'], suppression: undefined });
    const [call] = ddb.commandCalls(BatchGetCommand);
    expect(call!.args[0].input.RequestItems!['crm-table']).toMatchObject({
      ConsistentRead: true,
      Keys: [
        { PK: 'T#acme#UQ#EMAIL#jane@example.com', SK: 'UQ' },
        { PK: 'T#acme#LUQ#EMAIL#jane@example.com', SK: 'UQ' },
        { PK: 'T#acme#SUPPRESSED', SK: `EMAIL#${addressHash('jane@example.com')}` },
        { PK: 'T#acme#UQ#PHONE#+49301234567', SK: 'UQ' },
        { PK: 'T#acme#LUQ#PHONE#+49301234567', SK: 'UQ' },
      ],
    });
  });

  it('asks the search index for contacts by the exact token, not a prefix of longer addresses', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ id: 'K1', customerId: 'C2' }] });
    expect(await repo().contactsIndexedUnder('acme', { email: 'jane@example.com', phone: '+49301234567' })).toEqual([{ customerId: 'C2', id: 'K1' }]);
    const values = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(values).toEqual([
      { ':pk': 'T#acme#SRCH#ja', ':prefix': 'jane@example.com#email#contact#' },
      { ':pk': 'T#acme#SRCH#49', ':prefix': '49301234567#phone#contact#' },
    ]);
  });

  it('stores an erasure with a lock per address in one transaction; a taken lock names the request holding it', async () => {
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }));
    ddb.on(GetCommand).resolves({ Item: { requestId: 'R0' } });
    expect(await repo().create(request, ['h1'])).toEqual({ created: false, openRequestId: 'R0' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => [i.Put!.Item!.SK, i.Put!.ConditionExpression])).toEqual([
      ['REQ#R1', 'attribute_not_exists(PK)'],
      ['OPEN#h1', 'attribute_not_exists(PK)'],
    ]);
  });

  it('stores an export without a lock: exports of one person may run side by side', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await repo().create({ ...request, type: 'export' }, [])).toEqual({ created: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
