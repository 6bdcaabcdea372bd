import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** One item of TransactWriteItems as the document client takes it (`{ Put: ... }`, `{ Update: ... }`...). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

type Put = NonNullable<TransactItem['Put']>;
type Update = NonNullable<TransactItem['Update']>;
type Delete = NonNullable<TransactItem['Delete']>;
type ConditionCheck = NonNullable<TransactItem['ConditionCheck']>;

interface ItemNaming {
  /** What a failure of this item's condition is reported as; unique within the transaction. */
  name: string;
  /**
   * Ask for the item as it is when this item's condition fails (ReturnValuesOnConditionCheckFailure
   * ALL_OLD): `failure.current(name)`. An operation that sets ALL_OLD itself gets the same.
   */
  returnCurrent?: boolean;
}

/** A named Put, Update, Delete or ConditionCheck, exactly one of them, in the document client's shape. */
export type NamedItem = ItemNaming &
  (
    | { put: Put; update?: never; delete?: never; conditionCheck?: never }
    | { update: Update; put?: never; delete?: never; conditionCheck?: never }
    | { delete: Delete; put?: never; update?: never; conditionCheck?: never }
    | { conditionCheck: ConditionCheck; put?: never; update?: never; delete?: never }
  );

/** DynamoDB's limit for one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Attempts at a transaction while it is cancelled for TransactionConflict. */
const CONFLICT_ATTEMPTS = 8;

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/** Names an item built in the document client's shape (`{ Put: ... }`), as shared item builders return them. */
export function named(name: string, item: TransactItem, options: { returnCurrent?: boolean } = {}): NamedItem {
  const naming: ItemNaming = options.returnCurrent ? { name, returnCurrent: true } : { name };
  if (item.Put) return { ...naming, put: item.Put };
  if (item.Update) return { ...naming, update: item.Update };
  if (item.Delete) return { ...naming, delete: item.Delete };
  if (item.ConditionCheck) return { ...naming, conditionCheck: item.ConditionCheck };
  throw new TypeError(`Transaction item '${name}' has no Put, Update, Delete or ConditionCheck`);
}

/** The items as TransactWriteItems receives them, in the same order. */
/** A transaction's whole-item Put that commits only while the stored item is still at the version read (a tombstone); put-at-version.ts is the same rule outside a transaction. */
export function transactPutAtVersion(name: string, tableName: string, item: Record<string, unknown>, readVersion: number): NamedItem {
  return {
    name,
    put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_exists(PK) AND #version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': readVersion } },
  };
}

export function transactItems(items: readonly NamedItem[]): TransactItem[] {
  return items.map(transactItem);
}

function transactItem(item: NamedItem): TransactItem {
  const allOld = item.returnCurrent ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : undefined;
  if (item.put) return { Put: allOld ? { ...item.put, ...allOld } : item.put };
  if (item.update) return { Update: allOld ? { ...item.update, ...allOld } : item.update };
  if (item.delete) return { Delete: allOld ? { ...item.delete, ...allOld } : item.delete };
  return { ConditionCheck: allOld ? { ...item.conditionCheck, ...allOld } : item.conditionCheck };
}

/** A cancellation some item of which lost to a concurrent transaction on the same item. */
export function isTransactionConflict(error: unknown): boolean {
  return error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
}

/**
 * A transaction was cancelled because conditions failed; nothing was written. Names the items
 * whose condition failed, each with the item as it is now where it was asked for (returnCurrent)
 * and exists. `cause` is the TransactionCanceledException as DynamoDB sent it.
 */
export class TransactionConditionFailed extends Error {
  override readonly name = 'TransactionConditionFailed';
  /** The failed items, in transaction order. */
  readonly failures: readonly { name: string; current?: Record<string, unknown> }[];
  override readonly cause: TransactionCanceledException;
  private readonly names: ReadonlySet<string>;

  constructor(names: ReadonlySet<string>, failures: { name: string; current?: Record<string, unknown> }[], cause: TransactionCanceledException) {
    super(`Transaction cancelled: the condition of ${failures.map((f) => `'${f.name}'`).join(', ')} failed`);
    this.names = names;
    this.failures = failures;
    this.cause = cause;
  }

  /** Whether this item's condition failed. A name the transaction did not hold is a bug, and throws. */
  failed(name: string): boolean {
    return this.failure(name) !== undefined;
  }

  /** The item as it is now, if its condition failed, it was asked for and it exists. */
  current(name: string): Record<string, unknown> | undefined {
    return this.failure(name)?.current;
  }

  private failure(name: string) {
    if (!this.names.has(name)) throw new RangeError(`The transaction held no item named '${name}'`);
    return this.failures.find((f) => f.name === name);
  }
}

/**
 * TransactWriteItems of named items, in their order. Refuses more than 100 items before sending.
 * Cancellations for TransactionConflict (concurrent transactions on one item) are retried with
 * jittered backoff, which settles them into a success or a real condition failure; failed
 * conditions throw TransactionConditionFailed. Anything else, including conflicts that outlast the
 * attempts, propagates as it came.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: readonly NamedItem[],
  options: { conflictAttempts?: number } = {},
): Promise<void> {
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new RangeError(`A transaction holds at most ${MAX_TRANSACTION_ITEMS} items; this one has ${items.length}`);
  }
  const names = new Set<string>();
  for (const { name } of items) {
    if (names.has(name)) throw new RangeError(`Two transaction items are named '${name}'`);
    names.add(name);
  }
  const input = { TransactItems: transactItems(items) };
  const attempts = options.conflictAttempts ?? CONFLICT_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (isTransactionConflict(error) && attempt < attempts) {
        await backoff(attempt);
        continue;
      }
      const failures = failedConditions(error, items);
      if (failures.length > 0) throw new TransactionConditionFailed(names, failures, error);
      throw error;
    }
  }
}

/** The document client does not unmarshall cancellation reasons, so it happens here. */
function failedConditions(error: TransactionCanceledException, items: readonly NamedItem[]) {
  const failures: { name: string; current?: Record<string, unknown> }[] = [];
  (error.CancellationReasons ?? []).forEach((reason, index) => {
    const item = items[index];
    if (reason.Code !== 'ConditionalCheckFailed' || !item) return;
    failures.push(reason.Item ? { name: item.name, current: unmarshall(reason.Item) } : { name: item.name });
  });
  return failures;
}
