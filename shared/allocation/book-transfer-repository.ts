import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { BookTransfer } from './book-transfer';

/** The hand-over's item and the owner's book it works down (docs/allocation.md, "Handing a book over"). */
export class BookTransferRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, userId: string): Promise<BookTransfer | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.bookTransfer(tenantId, userId), ConsistentRead: true }));
    return Item ? (withoutStorageAttributes(Item) as unknown as BookTransfer) : undefined;
  }

  /**
   * Starts a hand-over with its event, unless one is running for the user: false then. A done one
   * is replaced (its figures were read by whoever asked).
   */
  async start(tenantId: string, transfer: BookTransfer, event: { detailType: string; detail: { id: string } }): Promise<boolean> {
    const key = keys.bookTransfer(tenantId, transfer.fromUserId);
    try {
      await transactWrite(this.db, [
        {
          name: 'transfer',
          put: {
            TableName: this.tableName,
            Item: { ...key, entity: 'BookTransfer', ...transfer },
            ConditionExpression: 'attribute_not_exists(PK) OR #status = :done',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':done': 'done' },
          },
        },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(key.PK, event.detailType, event.detail) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('transfer')) return false;
      throw error;
    }
  }

  /** Progress after a page (and, with `event`, the continuation in the same write), only while the hand-over is this one and running. */
  async progress(tenantId: string, transfer: BookTransfer, event?: { detailType: string; detail: { id: string } }): Promise<void> {
    const key = keys.bookTransfer(tenantId, transfer.fromUserId);
    const put = {
      TableName: this.tableName,
      Item: { ...key, entity: 'BookTransfer', ...transfer },
      ConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':id': transfer.id },
    };
    if (!event) {
      try {
        await this.db.send(new PutCommand(put));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      return;
    }
    await transactWrite(this.db, [{ name: 'transfer', put }, { name: 'event', put: { TableName: this.tableName, Item: outboxItem(key.PK, event.detailType, event.detail) } }]);
  }

  /**
   * A page of the customers the user still owns (their book in GSI1): the customers a hand-over
   * moves leave it, so each page starts where the last one ended.
   */
  async ownedPage(tenantId: string, userId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ customerIds: string[]; next?: Record<string, unknown> }> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.ownerBook(tenantId, userId).GSI1PK },
        ProjectionExpression: 'id',
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { customerIds: (result.Items ?? []).map((i) => String(i.id)), next: result.LastEvaluatedKey };
  }
}
