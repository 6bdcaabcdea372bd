import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { queryAllPages } from '../../../shared/aws/query-all-pages';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const input = { TableName: 't', KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'p' } };

describe('queryAllPages', () => {
  beforeEach(() => ddb.reset());

  it('follows LastEvaluatedKey until the last page (a partition over 1 MB) and keeps the order', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ SK: 'a' }, { SK: 'b' }], LastEvaluatedKey: { PK: 'p', SK: 'b' } })
      .resolvesOnce({ Items: [{ SK: 'c' }], LastEvaluatedKey: { PK: 'p', SK: 'c' } })
      .resolvesOnce({ Items: [{ SK: 'd' }] });

    expect(await queryAllPages(db, input)).toEqual([{ SK: 'a' }, { SK: 'b' }, { SK: 'c' }, { SK: 'd' }]);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey)).toEqual([undefined, { PK: 'p', SK: 'b' }, { PK: 'p', SK: 'c' }]);
    expect(ddb.commandCalls(QueryCommand)[2]!.args[0].input).toMatchObject(input);
  });

  it('is one request when everything fits in a page, and empty when nothing matches', async () => {
    ddb.on(QueryCommand).resolves({});
    expect(await queryAllPages(db, input)).toEqual([]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
