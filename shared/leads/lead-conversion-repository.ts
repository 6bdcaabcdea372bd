import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';

/** Which items failed their condition, by name, with the current item where DynamoDB returned it. */
export type ConversionCommit = { ok: true } | { ok: false; failure: TransactionConditionFailed };

/** Commits a conversion's one transaction (lead-conversion-items.ts builds it); the use case reads the failures. */
export class LeadConversionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async commit(items: NamedItem[]): Promise<ConversionCommit> {
    try {
      await transactWrite(this.db, items);
      return { ok: true };
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return { ok: false, failure: error };
      throw error;
    }
  }
}
