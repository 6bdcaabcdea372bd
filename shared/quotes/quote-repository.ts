import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getByIndexedId, nextYearlyNumber } from '../aws/record-by-id';
import type { NamedItem } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import type { ProcessHead } from '../approvals/approval-process';
import { pendingSubjectCheck } from '../approvals/process-subjects';
import { customerEventItem } from '../outbox/outbox';
import type { Quote } from './quote';

/**
 * Quotes in the table (docs/processes.md, "Quotes"): the item in its customer's partition (the
 * 360 view's `QUOTE#` range), found by id through GSI3, each earlier version kept as a `$QUOTEREV#`
 * item beside it. Writes are transaction items, committed with the process items they go with.
 */
export class QuoteRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** By id: GSI3 finds the item's key, then a consistent read of the item. */
  async get(tenantId: string, quoteId: string): Promise<Quote | undefined> {
    const item = await getByIndexedId(this.db, this.tableName, keys.quoteById(tenantId, quoteId));
    return item ? toQuote(item) : undefined;
  }


  /** Every earlier version, oldest first. */
  async revisions(tenantId: string, quoteId: string): Promise<Quote[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi3.name,
        KeyConditionExpression: 'GSI3PK = :pk AND begins_with(GSI3SK, :rev)',
        ExpressionAttributeValues: { ':pk': keys.quoteById(tenantId, quoteId).GSI3PK, ':rev': 'REV#' },
      }),
    );
    return (result.Items ?? []).map(toQuote);
  }

  /** The next quote number of the tenant's year: one atomic counter update. */
  async nextNumber(tenantId: string, year: string): Promise<string> {
    return nextYearlyNumber(this.db, this.tableName, keys.quoteNumbers(tenantId, year), 'Q', year);
  }


  /** A new quote, only for a live customer (the second item). */
  createItems(tenantId: string, quote: Quote): NamedItem[] {
    return [
      { name: 'quote', put: { TableName: this.tableName, Item: quoteItem(tenantId, quote), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        name: 'customer',
        conditionCheck: { TableName: this.tableName, Key: keys.customer(tenantId, quote.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES },
      },
    ];
  }

  /** The quote changed, over the version it was read at; with `previous`, that version is kept as a revision. */
  replaceItems(tenantId: string, quote: Quote, expectedVersion: number, previous?: Quote): NamedItem[] {
    const items: NamedItem[] = [
      {
        name: 'quote',
        returnCurrent: true,
        put: {
          TableName: this.tableName,
          Item: quoteItem(tenantId, quote),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ];
    if (previous) {
      items.push({ name: 'revision', put: { TableName: this.tableName, Item: { ...keys.quoteRevision(tenantId, previous.customerId, previous.id, previous.version), entity: 'QuoteRevision', ...previous } } });
    }
    return items;
  }

  /** An event committed with the quote's change, in its customer's partition (the outbox relays it). */
  eventItem(tenantId: string, customerId: string, detailType: string, detail: { id: string }): NamedItem {
    return customerEventItem(this.tableName, tenantId, customerId, detailType, detail);
  }

  /** Holds while the quote is the version its approval is for and still waits on it. */
  pendingCheck(tenantId: string, head: ProcessHead): NamedItem {
    return pendingSubjectCheck(this.tableName, keys.quote(tenantId, head.customerId, head.subject.id), head);
  }

  /** The approval's outcome lands on the quote: approved, or back to draft to be revised; on the same condition. */
  settleItem(tenantId: string, head: ProcessHead, outcome: 'approved' | 'rejected', at: string): NamedItem {
    return {
      name: 'subject',
      update: {
        TableName: this.tableName,
        Key: keys.quote(tenantId, head.customerId, head.subject.id),
        UpdateExpression: 'SET #status = :status, approval = :approval, updatedAt = :at, updatedBy = :by, #version = #version + :one',
        ConditionExpression: '#version = :version AND #status = :pending',
        ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome === 'approved' ? 'approved' : 'draft',
          ':approval': { processId: head.id, status: outcome },
          ':at': at,
          ':by': 'approval-flow',
          ':one': 1,
          ':version': head.subject.version,
          ':pending': 'pending-approval',
        },
      },
    };
  }
}

function quoteItem(tenantId: string, quote: Quote): Record<string, unknown> {
  return { ...keys.quote(tenantId, quote.customerId, quote.id), ...keys.quoteById(tenantId, quote.id), entity: 'Quote', tenantId, ...quote };
}

export function toQuote(item: Record<string, unknown>): Quote {
  const { tenantId: _t, ...record } = withoutStorageAttributes(item);
  return record as unknown as Quote;
}
