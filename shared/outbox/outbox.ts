import type { NamedItem } from '../aws/transact-write';
import type * as z from 'zod/mini';
import { EVENT_SOURCE, type Actor } from '../../events/envelope';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { newId } from '../ids';
import { keys, TTL_ATTRIBUTE } from '../keys';

/** Outbox items only need to outlive stream delivery (24 h retention); a week leaves room for replays. */
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

export interface EventContext {
  tenantId: string;
  actor: Actor;
  correlationId: string;
}

/** The context of the events a user's request causes: their tenant, them as the actor, the request's id. */
export const callerEventContext = (caller: Caller, correlationId: string): EventContext => ({ tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId });

/**
 * Builds a contract-valid event detail. Validating at the producer means a bad event fails the
 * request that would have caused it, instead of surfacing later in a consumer.
 */
export function newEvent<TType extends string, TDetail>(
  contract: { detailType: TType; schema: z.ZodMiniType<TDetail> },
  context: EventContext,
  data: unknown,
): TDetail {
  return contract.schema.parse({
    id: newId(),
    type: contract.detailType,
    occurredAt: clock.nowIso(),
    tenantId: context.tenantId,
    actor: context.actor,
    correlationId: context.correlationId,
    data,
  });
}

/**
 * The outbox item written in the same transaction as the change it describes: the table stream
 * turns its INSERT into a bus event, so a crash after the write cannot lose the event.
 */
/** An event in its customer's partition as a named transaction item (`event-<id>`), committed with the change it tells. */
export function customerEventItem(tableName: string, tenantId: string, customerId: string, detailType: string, detail: { id: string }): NamedItem {
  return { name: `event-${detail.id}`, put: { TableName: tableName, Item: outboxItem(keys.customerPartition(tenantId, customerId), detailType, detail) } };
}

export function outboxItem(partitionKey: string, detailType: string, detail: { id: string }) {
  return {
    ...keys.outbox(partitionKey, detail.id),
    entity: 'OutboxEvent',
    source: EVENT_SOURCE,
    detailType,
    detail,
    [TTL_ATTRIBUTE]: clock.epochSeconds() + OUTBOX_TTL_SECONDS,
  };
}
