import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DailyStatsRepository } from '../../../shared/stats/daily-stats-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new DailyStatsRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const cancelled = (code: string) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });

describe('DailyStatsRepository.countOnce', () => {
  beforeEach(() => ddb.reset());

  it('writes the dedupe marker and the increment in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().countOnce('acme', '2026-11-22', 'crm.customer.created.v1', 'E1', 1000)).toBe(true);

    const [marker, increment] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(marker!.Put).toMatchObject({ Item: { PK: 'T#acme#STATS#2026-11-22', SK: 'SEEN#E1' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(increment!.Update).toMatchObject({ Key: { PK: 'T#acme#STATS#2026-11-22', SK: 'M#crm.customer.created.v1' } });
  });

  it('retries when concurrent events of the same day conflict on the counter, instead of failing the consumer', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict')).resolves({});

    expect(await repository().countOnce('acme', '2026-11-22', 'm', 'E1', 1000)).toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('reports a re-delivered event as already counted', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

    expect(await repository().countOnce('acme', '2026-11-22', 'm', 'E1', 1000)).toBe(false);
  });
});
