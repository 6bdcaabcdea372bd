import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { CASE_SK_PREFIX, CASE_SLA_DUE_PK, keys, SURVEY_GSI3_PREFIX, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { decodeIndexCursor, encodeCursor } from '../pagination';
import { type Case, type CaseMessage, type CaseStatus, closesAt, isActive } from './case';
import type { Survey } from '../surveys/survey';

const toSurvey = (item: Record<string, unknown>) => withoutStorageAttributes(item) as unknown as Survey;

export interface CaseEvent {
  detailType: string;
  detail: { id: string };
}

export interface CasePage {
  items: Case[];
  cursor: string | null;
}

/** How a case transaction ended: written, its customer gone (merged, erased), or the case changed since it was read. */
export type CaseWriteOutcome = { outcome: 'written' } | { outcome: 'customer-gone' } | { outcome: 'stale'; current?: Case };

const toCase = (item: Record<string, unknown>) => withoutStorageAttributes(item) as unknown as Case;
const toMessage = (item: Record<string, unknown>) => withoutStorageAttributes(item) as unknown as CaseMessage;

/** The case item: its customer's partition, found by id through GSI3, listed through GSI1 by assignee (or the queue) and status. */
export function caseItem(c: Case): Record<string, unknown> {
  const group = isActive(c.status) ? 'active' : 'done';
  return {
    ...keys.case(c.tenantId, c.customerId, c.id),
    ...keys.caseById(c.tenantId, c.id),
    GSI1PK: keys.caseList(c.tenantId, c.assigneeId, group),
    GSI1SK: `${c.status}#${c.createdAt}#${c.id}`,
    // The sweep's index of due case work: an active case's next SLA alert, a resolved case's closing.
    ...dueWork(c),
    entity: 'Case',
    ...c,
  };
}

function dueWork(c: Case): Record<string, string> {
  if (isActive(c.status)) return c.sla?.nextAlertAt ? keys.caseSlaDue(c.sla.nextAlertAt, c.tenantId, c.id) : {};
  const closing = closesAt(c);
  return closing ? keys.caseSlaDue(closing, c.tenantId, c.id) : {};
}

/** A case the SLA sweep found with an alert due: enough to read it by key. */
export interface DueSlaCase {
  tenantId: string;
  caseId: string;
}

/**
 * Cases in the table (docs/service.md, "Cases"): the case in its customer's partition, so merge
 * moves it, erasure scrubs it and the 360 view reads it with the customer's other records; its
 * thread beside it, sorted out of the 360 view's range and read with the case in one GSI3 Query.
 */
export class CaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * A new case, its first event, and the check that its customer is live, in one transaction.
   * `extra` items join it (a marker that a mail was received, an agent's load): named, so their
   * failure tells itself apart; a failure of an extra item is rethrown for its caller to read.
   */
  async open(c: Case, events: CaseEvent[], extra: NamedItem[] = []): Promise<CaseWriteOutcome> {
    return this.commit([
      { name: 'case', put: { TableName: this.tableName, Item: caseItem(c), ConditionExpression: 'attribute_not_exists(PK)' } },
      this.customerCheck(c),
      ...this.eventItems(c, events),
      ...extra,
    ]);
  }

  /** The case as changed, only over the version read, with the message (if any), events and `extra` items (as for `open`). */
  async change(after: Case, expectedVersion: number, message: CaseMessage | undefined, events: CaseEvent[], extra: NamedItem[] = []): Promise<CaseWriteOutcome> {
    return this.commit([
      {
        name: 'case',
        returnCurrent: true,
        put: {
          TableName: this.tableName,
          Item: caseItem(after),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      this.customerCheck(after),
      ...(message ? [this.messageItem(after, message)] : []),
      ...this.eventItems(after, events),
      ...extra,
    ]);
  }

  /** The case and its thread in order: one Query of GSI3; the case re-read consistently so a write never works from a stale copy. */
  async get(tenantId: string, caseId: string, withThread: boolean): Promise<{ case: Case; messages: CaseMessage[]; surveys?: Survey[] } | undefined> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      IndexName: TABLE_INDEXES.gsi3.name,
      KeyConditionExpression: withThread ? 'GSI3PK = :pk' : 'GSI3PK = :pk AND GSI3SK = :case',
      ExpressionAttributeValues: { ':pk': keys.caseThread(tenantId, caseId), ...(withThread ? {} : { ':case': 'CASE' }) },
    });
    const found = items.find((item) => item.GSI3SK === 'CASE');
    if (!found) return undefined;
    // Satisfaction surveys: a case's surveys share its GSI3 partition (`SURVEY#`), beside the thread, not in it.
    const messages = items.filter((item) => item.GSI3SK !== 'CASE' && !String(item.GSI3SK).startsWith(SURVEY_GSI3_PREFIX)).map(toMessage);
    const surveys = items.filter((item) => String(item.GSI3SK).startsWith(SURVEY_GSI3_PREFIX)).map(toSurvey);
    if (withThread) return { case: toCase(found), messages, surveys };
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: found.PK, SK: found.SK }, ConsistentRead: true }));
    return Item ? { case: toCase(Item), messages } : undefined;
  }

  /** One page of an agent's (or the queue's) active or done cases, optionally of one status; one Query. */
  async list(tenantId: string, assigneeId: string | null, group: 'active' | 'done', status: CaseStatus | undefined, limit: number, cursor: string | undefined): Promise<CasePage> {
    const index = TABLE_INDEXES.gsi1;
    const partition = keys.caseList(tenantId, assigneeId, group);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: status ? 'GSI1PK = :pk AND begins_with(GSI1SK, :status)' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition, ...(status ? { ':status': `${status}#` } : {}) },
        Limit: limit,
        ExclusiveStartKey: decodeIndexCursor(cursor, index, partition, (key) => key.PK.startsWith(`T#${tenantId}#`) && key.SK.startsWith(CASE_SK_PREFIX)),
      }),
    );
    return { items: (result.Items ?? []).map(toCase), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /**
   * After-sales: an order's cases, newest first. One Query of the customer's `CASE#` range (ULIDs,
   * so newest first read backwards) with a filter on `orderId`: the cases stay one item each, with
   * no index entry or link item to keep right across merges and erasure, and the read costs the
   * customer's cases, a few dozen for most customers (docs/processes.md, "After-sales", says why).
   */
  async forOrder(tenantId: string, customerId: string, orderId: string): Promise<Case[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :cases)',
      FilterExpression: 'orderId = :order',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':cases': CASE_SK_PREFIX, ':order': orderId },
      ScanIndexForward: false,
    });
    return items.map(toCase);
  }

  /** A message of the case's thread, beside the case in its customer's partition. */
  messageItem(c: Case, message: CaseMessage): NamedItem {
    const Item = { ...keys.caseMessage(c.tenantId, c.customerId, c.id, message.id), entity: 'CaseMessage', ...message };
    return { name: 'message', put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } };
  }

  /** SLA policies applied to cases: cases with a warning or breach due by now, oldest first (the sweep's one Query per page). */
  async dueSlaAlerts(nowIso: string, limit: number): Promise<DueSlaCase[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        // `#` sorts before `$`: every `<alertAt>#...` with alertAt <= now.
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :upTo',
        ExpressionAttributeValues: { ':pk': CASE_SLA_DUE_PK, ':upTo': `${nowIso}$` },
        ProjectionExpression: 'tenantId, id',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), caseId: String(i.id) }));
  }

  private customerCheck(c: Case): NamedItem {
    return {
      name: 'customer',
      conditionCheck: { TableName: this.tableName, Key: keys.customer(c.tenantId, c.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES },
    };
  }

  private eventItems(c: Case, events: CaseEvent[]): NamedItem[] {
    return events.map((e) => ({ name: `event-${e.detail.id}`, put: { TableName: this.tableName, Item: outboxItem(keys.customerPartition(c.tenantId, c.customerId), e.detailType, e.detail) } }));
  }

  private async commit(items: NamedItem[]): Promise<CaseWriteOutcome> {
    try {
      await transactWrite(this.db, items);
      return { outcome: 'written' };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      // An extra item's failure is its caller's to read (a mail already received), whatever else failed with it.
      if (error.failures.some((f) => f.name !== 'customer' && f.name !== 'case')) throw error;
      if (error.failed('customer')) return { outcome: 'customer-gone' };
      if (error.failed('case')) {
        const current = error.current('case');
        return current ? { outcome: 'stale', current: toCase(current) } : { outcome: 'stale' };
      }
      throw error;
    }
  }
}
