import type { Actor } from '../../events/envelope';
import type { TransactItem } from '../aws/transact-write';
import type { Customer } from '../customers/customer';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { profileUpdate } from '../customers/profile-item';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { boardColumnOf, type Deal, type DealFactChange, forecastDateOf } from './deal';

/**
 * The items a deal write puts into its transaction, without I/O: the deal with its index keys,
 * a history entry, the board aggregates' deltas and the customer profile's deal facts. Exported
 * so a larger transaction (lead conversion) can take them in.
 */

export type { TransactItem };

export interface OutboxEvent {
  detailType: string;
  detail: { id: string };
}

/**
 * The deal item: board column (GSI1), lookup by id (GSI3), forecast date (GSI4; lost deals have
 * none), its owner's deals in its status (GSI5, by expected close date). Every deal write is a Put of
 * this whole item, so each index entry follows a change of stage, status, owner or close date.
 */
export function dealItem(deal: Deal): Record<string, unknown> {
  const forecastDate = forecastDateOf(deal);
  return {
    ...keys.deal(deal.tenantId, deal.customerId, deal.id),
    entity: 'Deal',
    ...deal,
    ...keys.boardColumn(deal.tenantId, deal.pipelineId, boardColumnOf(deal)),
    GSI1SK: keys.dealCloseSortKey(deal.expectedCloseDate, deal.id),
    ...keys.dealById(deal.tenantId, deal.id),
    // An owner's list only: an unowned deal (its customer in a pool) is in none.
    ...(deal.ownerId ? { ...keys.dealsOfOwner(deal.tenantId, deal.ownerId, deal.status), GSI5SK: keys.dealCloseSortKey(deal.expectedCloseDate, deal.id) } : {}),
    ...(forecastDate ? { ...keys.dealsByCloseDate(deal.tenantId), GSI4SK: keys.dealCloseSortKey(forecastDate, deal.id) } : {}),
  };
}

export interface DealHistoryEntry {
  id: string;
  dealId: string;
  /** Stage ids, or `won` / `lost` for a close and a reopen. */
  from: string | null;
  to: string;
  actor: Actor;
  at: string;
}

export function dealHistoryItem(tenantId: string, customerId: string, entry: DealHistoryEntry): Record<string, unknown> {
  return { ...keys.dealHistory(tenantId, customerId, entry.dealId, entry.at, entry.id), entity: 'DealStageChange', customerId, ...entry };
}

/** A deal's contribution to the board: +1 and its amount in its column. */
interface Contribution {
  column: string;
  currency: string;
  amountMinor: number;
}
const contribution = (deal: Deal): Contribution => ({ column: boardColumnOf(deal), currency: deal.currency, amountMinor: deal.amountMinor });

/**
 * The aggregate updates that take the board from `before` to `after`: one Update per column that
 * changes (a transaction may touch an item only once), ADD of the count and of `sum:<currency>`.
 */
export function aggregateUpdates(tableName: string, tenantId: string, pipelineId: string, before: Deal | null, after: Deal | null): TransactItem[] {
  const columns = new Map<string, { count: number; sums: Map<string, number> }>();
  const apply = (c: Contribution, sign: 1 | -1) => {
    const column = columns.get(c.column) ?? { count: 0, sums: new Map<string, number>() };
    column.count += sign;
    column.sums.set(c.currency, (column.sums.get(c.currency) ?? 0) + sign * c.amountMinor);
    columns.set(c.column, column);
  };
  if (before) apply(contribution(before), -1);
  if (after) apply(contribution(after), 1);
  const items: TransactItem[] = [];
  for (const [column, delta] of columns) {
    const sums = [...delta.sums].filter(([, value]) => value !== 0);
    if (delta.count === 0 && sums.length === 0) continue;
    const names: Record<string, string> = { '#count': 'count' };
    const values: Record<string, unknown> = { ':count': delta.count };
    const adds = ['#count :count'];
    sums.forEach(([currency, value], i) => {
      names[`#s${i}`] = `sum:${currency}`;
      values[`:s${i}`] = value;
      adds.push(`#s${i} :s${i}`);
    });
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.boardAggregate(tenantId, pipelineId, column),
        UpdateExpression: `SET entity = :entity ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':entity': 'BoardAggregate' },
      },
    });
  }
  return items;
}

/**
 * The customer's profile in a deal transaction: live and at the version the access decision read.
 * When the deal facts change, they move (ADD openDeals; closing sets lastOpenDealAt, winning
 * lastWonDealAt) and an owned customer's reclaim check comes to now (lazy scheduling: the next
 * sweep recomputes the deadline; a sweep write racing this one fails on `reclaimCheckAt`). A won
 * deal may also move the lifecycle stage (`after.lifecycleStage`), a real edit: version + 1.
 */
export function profileWrite(tableName: string, before: Customer, after: Customer, change: DealFactChange, nowIso: string): TransactItem {
  const key = keys.customer(before.tenantId, before.id);
  const condition = {
    ConditionExpression: `${LIVE_PROFILE_CONDITION} AND #version = :read`,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  const stageChanged = after.lifecycleStage !== before.lifecycleStage;
  if (!stageChanged && change.openDelta === 0 && !change.closed && !change.won) {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: key,
        ...condition,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ...LIVE_PROFILE_VALUES, ':read': before.version },
      },
    };
  }
  const next: Customer = {
    ...after,
    ...(change.closed ? { lastOpenDealAt: nowIso } : {}),
    ...(change.won ? { lastWonDealAt: nowIso } : {}),
    ...(after.ownerId !== null ? { reclaimCheckAt: nowIso } : {}),
  };
  const fields: (keyof Customer)[] = ['reclaimCheckAt'];
  if (change.closed) fields.push('lastOpenDealAt');
  if (change.won) fields.push('lastWonDealAt');
  if (stageChanged) fields.push('lifecycleStage', 'updatedAt', 'updatedBy', 'version');
  const set = profileUpdate(next, fields);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: change.openDelta === 0 ? set.UpdateExpression : `${set.UpdateExpression} ADD #openDeals :openDelta`,
      ...condition,
      ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#version': 'version', ...(change.openDelta === 0 ? {} : { '#openDeals': 'openDeals' }) },
      ExpressionAttributeValues: {
        ...set.ExpressionAttributeValues,
        ...LIVE_PROFILE_VALUES,
        ':read': before.version,
        ...(change.openDelta === 0 ? {} : { ':openDelta': change.openDelta }),
      },
    },
  };
}

export function outboxPuts(tableName: string, tenantId: string, customerId: string, events: OutboxEvent[]): TransactItem[] {
  const partition = keys.customerPartition(tenantId, customerId);
  return events.map((e) => ({ Put: { TableName: tableName, Item: outboxItem(partition, e.detailType, e.detail) } }));
}
