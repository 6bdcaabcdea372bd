import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { NamedItem } from '../aws/transact-write';
import { keys, TTL_ATTRIBUTE } from '../keys';

/** A mail delivered again after this long is rare enough to be a new message; the marker then expires. */
const RECEIPT_TTL_SECONDS = 30 * 24 * 3600;

/**
 * "This mail was received": one item per mail key (case-threading.ts `inboundMessageKey`), put in
 * the transaction that stores the message, so a second delivery fails its condition and stores nothing.
 */
export class InboundReceipts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowMs: () => number,
  ) {}

  marker(tenantId: string, mailKey: string, caseId: string, messageId: string): NamedItem {
    const Item = { ...keys.inboundMailReceived(tenantId, mailKey), entity: 'InboundMailReceipt', caseId, messageId, [TTL_ATTRIBUTE]: Math.floor(this.nowMs() / 1000) + RECEIPT_TTL_SECONDS };
    return { name: 'received', put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } };
  }

  async find(tenantId: string, mailKey: string): Promise<{ caseId: string; messageId: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.inboundMailReceived(tenantId, mailKey), ConsistentRead: true }));
    return Item ? { caseId: String(Item.caseId), messageId: String(Item.messageId) } : undefined;
  }
}
