import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import type { Deal } from '../deals/deal';
import { DEAL_SK_PREFIX, keys, TASK_SK_PREFIX, withoutStorageAttributes } from '../keys';
import { toTask } from '../tasks/task-repository';
import type { Book } from './book-move';

/**
 * A customer's open deals and tasks, read consistently (two Queries of its partition, in
 * parallel): what a change of owner moves with it, whoever makes the change (a claim, an
 * assignment, a release, the reclaim sweep).
 */
export async function readBook(db: DynamoDBDocumentClient, tableName: string, tenantId: string, customerId: string): Promise<Book> {
  const pk = keys.customerPartition(tenantId, customerId);
  const open = (prefix: string) =>
    queryAllPages(db, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ':open': 'open' },
      ConsistentRead: true,
    });
  const [deals, tasks] = await Promise.all([open(DEAL_SK_PREFIX), open(TASK_SK_PREFIX)]);
  return { deals: deals.map((d) => withoutStorageAttributes(d) as unknown as Deal), tasks: tasks.map(toTask) };
}
