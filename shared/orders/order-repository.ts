import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getByIndexedId, nextYearlyNumber } from '../aws/record-by-id';
import type { NamedItem } from '../aws/transact-write';
import { customerEventItem } from '../outbox/outbox';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { INVOICE_DUE_PK, keys, ORDER_SK_PREFIX, PURCHASE_SUMMARY_SK, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { type Order, orderTotal, overdueFrom } from './order';

/** The customer's purchase figures as stored: spend per currency in minor units. */
export interface PurchaseSummary {
  orderCount: number;
  spend: Record<string, number>;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
}

export const SPEND_PREFIX = 'spend_';

/**
 * Orders in the table (docs/processes.md, "Orders"): each in its customer's partition (the 360
 * view's `ORDER#` range), found by id through GSI3; the customer's purchase figures in a
 * `PURCHASES` item beside them and `lastPurchaseAt` on the profile, both moved by the same
 * transaction that places or cancels an order.
 */
export class OrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(tenantId: string, orderId: string): Promise<Order | undefined> {
    const item = await getByIndexedId(this.db, this.tableName, keys.orderById(tenantId, orderId));
    return item ? toOrder(item) : undefined;
  }


  /** A customer's orders and purchase figures in one Query (`ORDER#` up to `PURCHASES`, the records between skipped). */
  async purchases(tenantId: string, customerId: string): Promise<{ orders: Order[]; summary: PurchaseSummary }> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':from': ORDER_SK_PREFIX, ':to': PURCHASE_SUMMARY_SK },
      }),
    );
    const items = result.Items ?? [];
    const summary = items.find((i) => i.SK === PURCHASE_SUMMARY_SK);
    return { orders: items.filter((i) => String(i.SK).startsWith(ORDER_SK_PREFIX)).map(toOrder), summary: toSummary(summary) };
  }

  async nextNumber(tenantId: string, year: string): Promise<string> {
    return nextYearlyNumber(this.db, this.tableName, keys.orderNumbers(tenantId, year), 'O', year);
  }


  /** Invoices overdue by now, oldest first (the sweep's one Query per run). */
  async dueInvoices(nowIso: string, limit: number): Promise<{ tenantId: string; key: { PK: string; SK: string } }[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        // `#` sorts before `$`: every `<overdueFrom>#...` with overdueFrom <= now.
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :upTo',
        ExpressionAttributeValues: { ':pk': INVOICE_DUE_PK, ':upTo': `${nowIso}$` },
        ProjectionExpression: 'PK, SK, tenantId',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), key: { PK: String(i.PK), SK: String(i.SK) } }));
  }

  /** An order by its key, consistently (the sweep's read of what the index named). */
  async byKey(key: { PK: string; SK: string }): Promise<Order | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? toOrder(Item) : undefined;
  }

  /** A new order with the purchase it is: figures and the profile's `lastPurchaseAt`, only for a live customer. */
  placeItems(tenantId: string, order: Order): NamedItem[] {
    return [
      { name: 'order', put: { TableName: this.tableName, Item: orderItem(tenantId, order), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        name: 'customer',
        update: {
          TableName: this.tableName,
          Key: keys.customer(tenantId, order.customerId),
          UpdateExpression: 'SET lastPurchaseAt = :at',
          ConditionExpression: LIVE_PROFILE_CONDITION,
          ExpressionAttributeValues: { ...LIVE_PROFILE_VALUES, ':at': order.placedAt },
        },
      },
      this.summaryItem(tenantId, order, 1),
    ];
  }

  /** The order changed, over the version it was read at; a cancellation takes its purchase back out of the figures. */
  replaceItems(tenantId: string, order: Order, expectedVersion: number): NamedItem[] {
    const items: NamedItem[] = [
      {
        name: 'order',
        returnCurrent: true,
        put: {
          TableName: this.tableName,
          Item: orderItem(tenantId, order),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ];
    if (order.status === 'cancelled') items.push(this.summaryItem(tenantId, order, -1));
    return items;
  }

  /** An outbox event in the order's customer partition, committed with the change it tells. */
  eventItem(tenantId: string, customerId: string, detailType: string, detail: { id: string }): NamedItem {
    return customerEventItem(this.tableName, tenantId, customerId, detailType, detail);
  }

  /** Order count and the currency's spend move by one order (`sign` -1: a cancellation); the first and last purchase only forward. */
  private summaryItem(tenantId: string, order: Order, sign: 1 | -1): NamedItem {
    return {
      name: 'purchases',
      update: {
        TableName: this.tableName,
        Key: keys.purchaseSummary(tenantId, order.customerId),
        UpdateExpression:
          sign === 1
            ? 'ADD orderCount :n, #spend :amount SET entity = :entity, firstPurchaseAt = if_not_exists(firstPurchaseAt, :at), lastPurchaseAt = :at'
            : 'ADD orderCount :n, #spend :amount SET entity = :entity',
        ExpressionAttributeNames: { '#spend': `${SPEND_PREFIX}${order.currency}` },
        ExpressionAttributeValues: { ':n': sign, ':amount': sign * Number(orderTotal(order)), ':entity': 'PurchaseSummary', ...(sign === 1 ? { ':at': order.placedAt } : {}) },
      },
    };
  }
}

/** An order as stored; an invoiced one awaiting payment, not yet raised, waits in the overdue index until it turns overdue. */
function orderItem(tenantId: string, order: Order): Record<string, unknown> {
  const from = overdueFrom(order);
  const due = order.status === 'invoiced' && order.overdueAt === null && from ? keys.invoiceDue(from, tenantId, order.id) : {};
  return { ...keys.order(tenantId, order.customerId, order.id), ...keys.orderById(tenantId, order.id), ...due, entity: 'Order', tenantId, ...order };
}

export function toOrder(item: Record<string, unknown>): Order {
  const { tenantId: _t, ...record } = withoutStorageAttributes(item);
  return record as unknown as Order;
}

export function toSummary(item: Record<string, unknown> | undefined): PurchaseSummary {
  if (!item) return { orderCount: 0, spend: {}, firstPurchaseAt: null, lastPurchaseAt: null };
  const spend = Object.fromEntries(Object.entries(item).filter(([k]) => k.startsWith(SPEND_PREFIX)).map(([k, v]) => [k.slice(SPEND_PREFIX.length), Number(v)]));
  return { orderCount: Number(item.orderCount ?? 0), spend, firstPurchaseAt: (item.firstPurchaseAt as string | undefined) ?? null, lastPurchaseAt: (item.lastPurchaseAt as string | undefined) ?? null };
}
