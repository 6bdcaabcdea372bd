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

/**
 * What deals add to one board column: a count and hundredths per currency. A deal write adds its
 * own change; an import adds a whole batch's at once (docs/integrations.md, "Deals").
 */
export interface BoardDelta {
  pipelineId: string;
  column: string;
  count: number;
  /** Currency -> hundredths. */
  sums: Record<string, number>;
}

/** A deal's place on the board: +1 and its amount in its column (`sign` -1 takes it off). */
export const boardDelta = (deal: Deal, sign: 1 | -1 = 1): BoardDelta => ({ pipelineId: deal.pipelineId, column: boardColumnOf(deal), count: sign, sums: { [deal.currency]: sign * deal.amountMinor } });

/** Deltas of the same column added together, columns whose change is nil left out (a transaction may touch an item only once). */
export function netBoardDeltas(deltas: readonly BoardDelta[]): BoardDelta[] {
  const columns = new Map<string, BoardDelta>();
  for (const delta of deltas) {
    const key = `${delta.pipelineId}|${delta.column}`;
    const net = columns.get(key) ?? { pipelineId: delta.pipelineId, column: delta.column, count: 0, sums: {} };
    net.count += delta.count;
    for (const [currency, value] of Object.entries(delta.sums)) net.sums[currency] = (net.sums[currency] ?? 0) + value;
    columns.set(key, net);
  }
  return [...columns.values()]
    .map((d) => ({ ...d, sums: Object.fromEntries(Object.entries(d.sums).filter(([, v]) => v !== 0)) }))
    .filter((d) => d.count !== 0 || Object.keys(d.sums).length > 0);
}

/** The Update of one board aggregate: ADD of the count and of `sum:<currency>`. */
export function boardAggregateUpdate(tableName: string, tenantId: string, delta: BoardDelta): TransactItem {
  const names: Record<string, string> = { '#count': 'count' };
  const values: Record<string, unknown> = { ':count': delta.count };
  const adds = ['#count :count'];
  Object.entries(delta.sums).forEach(([currency, value], i) => {
    names[`#s${i}`] = `sum:${currency}`;
    values[`:s${i}`] = value;
    adds.push(`#s${i} :s${i}`);
  });
  return {
    Update: {
      TableName: tableName,
      Key: keys.boardAggregate(tenantId, delta.pipelineId, delta.column),
      UpdateExpression: `SET entity = :entity ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':entity': 'BoardAggregate' },
    },
  };
}

/** The aggregate updates that take the board from `before` to `after`: one Update per column that changes. */
export function aggregateUpdates(tableName: string, tenantId: string, pipelineId: string, before: Deal | null, after: Deal | null): TransactItem[] {
  const deltas = [...(before ? [boardDelta(before, -1)] : []), ...(after ? [boardDelta(after)] : [])].map((d) => ({ ...d, pipelineId }));
  return netBoardDeltas(deltas).map((delta) => boardAggregateUpdate(tableName, tenantId, delta));
}

/**
 * The customer's profile in a deal transaction: live and at the version the access decision read.
 * When the deal facts change, they move (ADD openDeals; closing sets lastOpenDealAt, winning
 * lastWonDealAt) and an owned customer's reclaim check comes to now (lazy scheduling: the next
 * sweep recomputes the deadline; a sweep write racing this one fails on `reclaimCheckAt`). A won
 * deal may also move the lifecycle stage (`after.lifecycleStage`), a real edit: version + 1.
 * `closedAt` is when the deal closed: now, except for an imported closed deal (its own date).
 */
export function profileWrite(tableName: string, before: Customer, after: Customer, change: DealFactChange, nowIso: string, closedAt = nowIso): TransactItem {
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
    ...(change.closed ? { lastOpenDealAt: closedAt } : {}),
    ...(change.won ? { lastWonDealAt: closedAt } : {}),
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
