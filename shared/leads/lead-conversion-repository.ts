import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailures, retryOnTransactionConflict } from '../aws/transaction-errors';
import type { TransactItem } from '../deals/deal-items';

/** Which items failed their condition, by position, with the old item where DynamoDB returned it. */
export type ConversionCommit = { ok: true } | { ok: false; failures: Map<number, Record<string, unknown> | undefined> };

/** Commits a conversion's one transaction (lead-conversion-items.ts builds it); the use case reads the failures. */
export class LeadConversionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async commit(items: TransactItem[]): Promise<ConversionCommit> {
    try {
      await retryOnTransactionConflict(() => this.db.send(new TransactWriteCommand({ TransactItems: items })));
      return { ok: true };
    } catch (error) {
      const failures = conditionFailures(error);
      if (failures?.size) return { ok: false, failures };
      throw error;
    }
  }
}
