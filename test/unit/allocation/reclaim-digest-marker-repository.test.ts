import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DigestMarkers } from '../../../shared/allocation/reclaim-digest-marker-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const markers = () => new DigestMarkers(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');

describe('DigestMarkers', () => {
  beforeEach(() => ddb.reset());

  it('claims a run\'s digest for a rep once', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));

    expect(await markers().claimDigest('acme', 'rep-1', 'run-1')).toBe(true);
    expect(await markers().claimDigest('acme', 'rep-1', 'run-1')).toBe(false);
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.Item).toMatchObject({ PK: 'T#acme#USER#rep-1', SK: '$DONE#reclaim-digest#run-1', expiresAt: expect.any(Number) });
    expect(put.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('releases the marker so a retry may send the digest', async () => {
    ddb.on(DeleteCommand).resolves({});

    await markers().releaseDigest('acme', 'rep-1', 'run-1');

    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input.Key).toEqual({ PK: 'T#acme#USER#rep-1', SK: '$DONE#reclaim-digest#run-1' });
  });
});
