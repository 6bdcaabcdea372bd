import type { OutboxEvent } from '../customers/customer-repository';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';

/** Why a customer changed hands: every ownership change records one (docs/allocation.md). */
export const OWNERSHIP_REASONS = ['created', 'claimed', 'released', 'assigned', 'reclaimed', 'merged'] as const;
export type OwnershipReason = (typeof OWNERSHIP_REASONS)[number];

export interface OwnershipChange {
  id: string;
  customerId: string;
  from: string | null;
  to: string | null;
  /** The pool it came from (claim) or went to (release, reclaim). */
  poolId: string | null;
  reason: OwnershipReason;
  /** The releasing rep's own words, when they gave some. */
  note: string | null;
  actor: { type: 'user' | 'system'; id: string };
  at: string;
}

/** The history item, in the customer's partition: the 360 view lists it under `ownershipHistory`. */
export function ownershipHistoryItem(tenantId: string, change: OwnershipChange) {
  return { ...keys.ownershipChange(tenantId, change.customerId, change.at, change.id), entity: 'OwnershipChange', ...change };
}

/** The history entry and the events of an ownership change, as Puts in the customer's partition. */
export function ownershipRecordPuts(tableName: string, customer: { tenantId: string; id: string }, history: OwnershipChange | undefined, events: readonly OutboxEvent[]) {
  const partition = keys.customerPartition(customer.tenantId, customer.id);
  return [
    ...(history ? [{ Put: { TableName: tableName, Item: ownershipHistoryItem(customer.tenantId, history) } }] : []),
    ...events.map((e) => ({ Put: { TableName: tableName, Item: outboxItem(partition, e.detailType, e.detail) } })),
  ];
}
