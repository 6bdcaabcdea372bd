import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { putAtVersion } from '../../../shared/aws/put-at-version';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const item = { PK: 'T#acme#TPL#t1', SK: 'TEMPLATE', version: 4 };
const conditionFailed = (stored?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, ...(stored ? { Item: marshall(stored) } : {}) });

describe('putAtVersion', () => {
  beforeEach(() => ddb.reset());

  it('puts on the condition that the stored item is at the expected version, asking for the stored item on failure', async () => {
    ddb.on(PutCommand).resolves({});

    expect(await putAtVersion(db, 'crm', item, 3)).toEqual({ written: true });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'crm',
      Item: item,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 3 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it("puts only where nothing is stored with 'absent'", async () => {
    ddb.on(PutCommand).resolves({});

    await putAtVersion(db, 'crm', item, 'absent');
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({ TableName: 'crm', Item: item, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  it('answers the stored version when another edit won, and no version when nothing is stored', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed({ ...item, version: 5 })).rejectsOnce(conditionFailed());

    expect(await putAtVersion(db, 'crm', item, 3)).toEqual({ written: false, currentVersion: 5 });
    expect(await putAtVersion(db, 'crm', item, 3)).toEqual({ written: false, currentVersion: undefined });
  });

  it('lets any other failure through', async () => {
    const throttled = new Error('throttled');
    ddb.on(PutCommand).rejects(throttled);

    await expect(putAtVersion(db, 'crm', item, 3)).rejects.toBe(throttled);
  });
});
