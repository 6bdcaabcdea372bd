import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Which items of a cancelled TransactWriteItems failed their condition, by position, with the
 * old item DynamoDB returned (ReturnValuesOnConditionCheckFailure: ALL_OLD). The document client
 * does not unmarshall cancellation reasons, so it happens here.
 */
export function conditionFailures(error: unknown): Map<number, Record<string, unknown> | undefined> | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const failures = new Map<number, Record<string, unknown> | undefined>();
  (error.CancellationReasons ?? []).forEach((reason, index) => {
    if (reason.Code === 'ConditionalCheckFailed') failures.set(index, reason.Item ? unmarshall(reason.Item) : undefined);
  });
  return failures;
}

/**
 * Concurrent transactions on one item can be cancelled with TransactionConflict instead of a
 * condition failure; retrying settles them into a success or a real ConditionalCheckFailed.
 */
export async function retryOnTransactionConflict<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const conflicted =
        error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
      if (!conflicted || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}
