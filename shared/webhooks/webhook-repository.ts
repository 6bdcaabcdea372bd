import { newestFirstPage } from '../aws/newest-first-page';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { putAtVersion } from '../aws/put-at-version';
import { queryAllPages } from '../aws/query-all-pages';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { Conflict, NotFound, StaleVersion } from '../errors';
import { keys, TABLE_INDEXES, TTL_ATTRIBUTE, WEBHOOK_DUE_PK, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { MAX_WEBHOOKS_PER_TENANT, type Webhook, type WebhookReplay } from './webhook';
import type { Delivery } from './webhook-delivery';

export class WebhookNotFound extends NotFound {
  constructor(webhookId: string) {
    super(`Webhook ${webhookId} not found`);
  }
}

export class WebhookLimitReached extends Conflict {
  override readonly slug = 'webhook-limit-reached';
  constructor() {
    super(`A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks`);
    Object.assign(this.extensions, { limit: MAX_WEBHOOKS_PER_TENANT });
  }
}

export class DeliveryNotFound extends NotFound {
  constructor(deliveryId: string) {
    super(`Delivery ${deliveryId} not found`);
  }
}

// The pattern is kept as its JSON text, as automations keep theirs: a DynamoDB map would not keep every pattern as written.
const webhookItem = (w: Webhook) => ({ ...keys.webhook(w.tenantId, w.id), entity: 'Webhook', ...w, eventPattern: JSON.stringify(w.eventPattern) });
const toWebhook = (item: Record<string, unknown>): Webhook => {
  const record = withoutStorageAttributes(item) as unknown as Webhook & { eventPattern: string };
  return { ...record, eventPattern: JSON.parse(record.eventPattern) as Record<string, unknown> };
};

/** A pending delivery waits in the retry sweep's index at its next attempt; any other leaves it. */
const deliveryItem = (d: Delivery) => ({
  ...keys.webhookDelivery(d.tenantId, d.webhookId, d.id),
  ...(d.status === 'pending' && d.nextAttemptAt ? keys.webhookDue(d.nextAttemptAt, d.tenantId, d.webhookId, d.id) : {}),
  entity: 'WebhookDelivery',
  ...d,
});
const toDelivery = (item: Record<string, unknown>) => withoutStorageAttributes(item) as unknown as Delivery;

/** A replay's claim outlives any replay by far; it expires only so a deleted webhook's goes too. */
const REPLAY_CLAIM_KEPT_DAYS = 90;
const replayItem = (tenantId: string, webhookId: string, r: WebhookReplay) => ({
  ...keys.webhookReplay(tenantId, webhookId),
  entity: 'WebhookReplay',
  ...r,
  [TTL_ATTRIBUTE]: Math.floor(Date.parse(r.startedAt) / 1000) + REPLAY_CLAIM_KEPT_DAYS * 86_400,
});

export interface DeliveryPage {
  items: Delivery[];
  cursor: string | null;
}

/**
 * Webhook subscriptions (`T#<t>#WEBHOOKS` / `HOOK#<id>`, capped by a counter item in the same
 * partition) and their delivery logs (`T#<t>#HOOK#<id>` / `DEL#<event id>`), pending deliveries
 * also in GSI2 `WEBHOOKDUE` at their next attempt; beside the log, the webhook's latest replay (`REPLAY`).
 */
export class WebhookRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A new subscription, while the tenant has fewer than the cap (one transaction: two creations cannot both take the last slot). */
  async create(webhook: Webhook): Promise<void> {
    try {
      await transactWrite(this.db, [
        { name: 'webhook', put: { TableName: this.tableName, Item: webhookItem(webhook), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          name: 'counter',
          update: {
            TableName: this.tableName,
            Key: keys.webhookCounter(webhook.tenantId),
            UpdateExpression: 'SET #entity = :entity ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#entity': 'entity', '#count': 'count' },
            ExpressionAttributeValues: { ':entity': 'WebhookCounter', ':one': 1, ':max': MAX_WEBHOOKS_PER_TENANT },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('counter')) throw new WebhookLimitReached();
      throw error;
    }
  }

  async get(tenantId: string, webhookId: string, consistent = false): Promise<Webhook | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhook(tenantId, webhookId), ConsistentRead: consistent }));
    return Item ? toWebhook(Item) : undefined;
  }

  /** Every subscription of the tenant, oldest first: one Query (the cap keeps it to one page). */
  async list(tenantId: string): Promise<Webhook[]> {
    const { PK, skPrefix } = keys.webhooks(tenantId);
    const items = await queryAllPages(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix } });
    return items.map(toWebhook);
  }

  /** Replaces it if still at `expectedVersion`: two edits of one version cannot both win. */
  async replace(webhook: Webhook, expectedVersion: number): Promise<void> {
    const result = await putAtVersion(this.db, this.tableName, webhookItem(webhook), expectedVersion);
    if (result.written) return;
    if (result.currentVersion === undefined) throw new WebhookNotFound(webhook.id);
    throw new StaleVersion('webhook', result.currentVersion);
  }

  /** Deletes it and gives its slot back in one transaction. Its delivery log stays until its items expire. */
  async delete(tenantId: string, webhookId: string): Promise<void> {
    try {
      await transactWrite(this.db, [
        { name: 'webhook', delete: { TableName: this.tableName, Key: keys.webhook(tenantId, webhookId), ConditionExpression: 'attribute_exists(PK)' } },
        { name: 'counter', update: { TableName: this.tableName, Key: keys.webhookCounter(tenantId), UpdateExpression: 'ADD #count :minusOne', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':minusOne': -1 } } },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('webhook')) throw new WebhookNotFound(webhookId);
      throw error;
    }
  }

  /**
   * The webhook's health after an attempt, each a conditional write that changes nothing when
   * another attempt got there first: the first failure starts the clock, a success stops it.
   */
  async markFailing(tenantId: string, webhookId: string, since: string): Promise<void> {
    await this.conditionally({ Key: keys.webhook(tenantId, webhookId), UpdateExpression: 'SET failingSince = :since', ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(failingSince) OR failingSince = :null)', ExpressionAttributeValues: { ':since': since, ':null': null } });
  }

  async markRecovered(tenantId: string, webhookId: string): Promise<void> {
    await this.conditionally({ Key: keys.webhook(tenantId, webhookId), UpdateExpression: 'SET failingSince = :null', ConditionExpression: 'attribute_exists(PK) AND failingSince <> :null', ExpressionAttributeValues: { ':null': null } });
  }

  /** Switched off with its reason and `crm.webhook.disabled.v1`, in one transaction, only while still on and failing since the time read. */
  async disable(webhook: Webhook, failingSince: string, reason: string, at: string, event: { detailType: string; detail: { id: string } }): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        {
          name: 'webhook',
          update: {
            TableName: this.tableName,
            Key: keys.webhook(webhook.tenantId, webhook.id),
            UpdateExpression: 'SET enabled = :off, disabledReason = :reason, updatedAt = :at, updatedBy = :by, #version = #version + :one',
            ConditionExpression: 'enabled = :on AND failingSince = :since',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':off': false, ':on': true, ':reason': reason, ':at': at, ':by': 'webhooks', ':one': 1, ':since': failingSince },
          },
        },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.webhooks(webhook.tenantId).PK, event.detailType, event.detail) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }

  private async conditionally(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<void> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...update }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Records `replay` as the webhook's latest if it has none or its latest is still `previous`
   * (a replay found ended): one conditional write, so of two requests at once exactly one wins.
   */
  async claimReplay(tenantId: string, webhookId: string, replay: WebhookReplay, previous: string | undefined): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: replayItem(tenantId, webhookId, replay),
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'replayName = :previous', ExpressionAttributeValues: { ':previous': previous } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async latestReplay(tenantId: string, webhookId: string): Promise<WebhookReplay | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookReplay(tenantId, webhookId), ConsistentRead: true }));
    return Item ? (withoutStorageAttributes(Item) as unknown as WebhookReplay) : undefined;
  }

  /** Gives up a claim whose replay did not start, unless another replay holds it by now: the user may retry at once. */
  async releaseReplay(tenantId: string, webhookId: string, replayName: string): Promise<void> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.webhookReplay(tenantId, webhookId), ConditionExpression: 'replayName = :name', ExpressionAttributeValues: { ':name': replayName } }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A new delivery, unless this event already has one for this webhook (a redelivered event): false then. */
  async addDelivery(delivery: Delivery): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The delivery after an attempt or a retry, over the version read: false when another writer got there first. */
  async saveDelivery(delivery: Delivery, expectedVersion: number): Promise<boolean> {
    return (await putAtVersion(this.db, this.tableName, deliveryItem(delivery), expectedVersion)).written;
  }

  async getDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(tenantId, webhookId, deliveryId), ConsistentRead: true }));
    return Item ? toDelivery(Item) : undefined;
  }

  /** The delivery log, newest event first (event ids are ULIDs); without the payloads. */
  async deliveries(tenantId: string, webhookId: string, limit: number, cursor: string | undefined): Promise<DeliveryPage> {
    const page = await newestFirstPage(this.db, this.tableName, keys.webhookDeliveries(tenantId, webhookId), limit, cursor);
    return { items: page.items.map(toDelivery), cursor: page.cursor };
  }

  /** Pending deliveries whose next attempt is due, across tenants, oldest first. */
  async due(nowIso: string, limit: number): Promise<{ tenantId: string; webhookId: string; deliveryId: string }[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_INDEXES.gsi2.name,
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :now',
        ExpressionAttributeValues: { ':pk': WEBHOOK_DUE_PK, ':now': `${nowIso}#~` },
        ProjectionExpression: 'tenantId, webhookId, id',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), webhookId: String(i.webhookId), deliveryId: String(i.id) }));
  }
}
