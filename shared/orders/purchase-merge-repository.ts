import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FiguresMerger } from '../customers/customer-merge-repository';
import { PURCHASE_SUMMARY_SK } from '../keys';
import { SPEND_PREFIX } from './order-repository';

/**
 * A merge adds the source's purchase figures onto the survivor's (docs/processes.md, "Orders"):
 * the orders move to the survivor with the other records, so its figures must count them, or a
 * later cancellation of a moved order would take out what was never added. Counts and spend are
 * added (ADD commutes with any order placed or cancelled meanwhile); the first and last purchase
 * are a minimum and a maximum, which ADD cannot do: each is a conditional write before the move's
 * transaction, harmless however often a resumed merge repeats it.
 */
export function purchaseFiguresMerger(db: DynamoDBDocumentClient, tableName: string): FiguresMerger {
  const edge = async (to: string, attribute: 'firstPurchaseAt' | 'lastPurchaseAt', value: unknown) => {
    if (typeof value !== 'string') return;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { PK: to, SK: PURCHASE_SUMMARY_SK },
          UpdateExpression: 'SET #at = :at',
          ConditionExpression: `attribute_not_exists(#at) OR #at ${attribute === 'firstPurchaseAt' ? '>' : '<'} :at`,
          ExpressionAttributeNames: { '#at': attribute },
          ExpressionAttributeValues: { ':at': value },
        }),
      );
    } catch (error) {
      // The survivor's is already the earlier (or later) one.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
  return {
    sortKey: PURCHASE_SUMMARY_SK,
    async before(record, to) {
      await edge(to, 'firstPurchaseAt', record.firstPurchaseAt);
      await edge(to, 'lastPurchaseAt', record.lastPurchaseAt);
    },
    add(record, to) {
      const spend = Object.entries(record).filter(([k]) => k.startsWith(SPEND_PREFIX));
      const names = Object.fromEntries(spend.map(([k], i) => [`#s${i}`, k]));
      const values = Object.fromEntries(spend.map(([, v], i) => [`:s${i}`, Number(v)]));
      return {
        Update: {
          TableName: tableName,
          Key: { PK: to, SK: PURCHASE_SUMMARY_SK },
          UpdateExpression: `ADD orderCount :n${spend.map((_, i) => `, #s${i} :s${i}`).join('')} SET entity = :entity`,
          ...(spend.length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ':n': Number(record.orderCount ?? 0), ':entity': 'PurchaseSummary', ...values },
        },
      };
    },
    removeCondition(record) {
      // A source order cancelled while the merge runs moves these figures: read them again rather than lose it.
      return { ConditionExpression: 'attribute_exists(PK) AND orderCount = :n', ExpressionAttributeValues: { ':n': Number(record.orderCount ?? 0) } };
    },
  };
}
