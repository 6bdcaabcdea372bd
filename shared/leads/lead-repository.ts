import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { queryAllPages } from '../aws/query-all-pages';
import type { Activity } from '../activities/activity';
import type { PendingConsent } from '../consent/consent-capture';
import type { Customer } from '../customers/customer';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { profileUpdate } from '../customers/profile-item';
import { toCustomer } from '../customers/profile-record';
import { FIRST_RECORD_SK, keys, LEAD_SIGNAL_SK_PREFIX, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { Lead, Signal } from './lead';
import { LeadErased } from './lead-errors';
import type { RoutingConfig } from './lead-routing';
import type { ScoringConfig } from './lead-scoring';

export interface OutboxEvent {
  detailType: string;
  detail: { id: string };
}

export type CreateOutcome = { created: true } | { created: false; existingLeadId: string };

/** Thrown when a conditional save lost to a concurrent writer: the caller re-reads and re-decides. */
export class LeadChanged extends Error {}

/** Thrown when the chosen rep's open-lead count moved since it was read (least-loaded routing). */
export class LoadChanged extends Error {}

/** A change of a rep's open-lead count that goes with a save; `expectOpen` makes it conditional. */
export interface LoadChange {
  userId: string;
  delta: 1 | -1;
  expectOpen?: number;
}

/**
 * Leads in the table (docs/leads.md#storage): the profile and its signals share the lead's
 * partition; email and phone guards keep one lead per contact point; the settings and the
 * round-robin cursors live in the tenant's `LEADCONFIG` partition.
 */
export class LeadRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Everything a capture reads, in one BatchGetItem: the customer guards of the candidates (the
   * strongest one held names the customer) and the tenant's scoring and routing settings.
   */
  async lookup(tenantId: string, candidates: { field: 'email' | 'phone' | 'domain'; value: string }[]) {
    const guards = candidates.map((c) => keys.uniqueGuard(tenantId, c.field, c.value));
    const [scoringKey, routingKey] = [keys.leadScoringConfig(tenantId), keys.leadRoutingConfig(tenantId)];
    const items = await this.batchGet([...guards, scoringKey, routingKey]);
    const find = (key: { PK: string; SK: string }) => items.find((item) => item.PK === key.PK && item.SK === key.SK);
    const index = guards.findIndex((key) => find(key) !== undefined);
    return {
      match: index < 0 ? undefined : { customerId: String(find(guards[index]!)!.customerId), matchedOn: candidates[index]!.field },
      scoring: find(scoringKey)?.config as ScoringConfig | undefined,
      routing: find(routingKey)?.config as RoutingConfig | undefined,
    };
  }

  /** The scoring and routing settings, in one BatchGetItem. */
  async settings(tenantId: string) {
    const { scoring, routing } = await this.lookup(tenantId, []);
    return { scoring, routing };
  }

  private async batchGet(keyList: { PK: string; SK: string }[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: keyList } };
    // Unprocessed keys (throttling) are read again; a handful of keys, so a few rounds at most.
    for (let attempt = 0; request?.[this.tableName]?.Keys.length && attempt < 5; attempt++) {
      const result = await this.db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(result.Responses?.[this.tableName] ?? []));
      request = result.UnprocessedKeys as typeof request;
    }
    return items;
  }

  /** The matched customer as a capture's consent answers need it (consistent: the version conditions the write). */
  async matchedCustomer(tenantId: string, customerId: string): Promise<{ customer: Customer; pendingConsent: Record<string, PendingConsent> } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId), ConsistentRead: true }));
    if (!Item) return undefined;
    return { customer: toCustomer(Item), pendingConsent: (Item.pendingConsent as Record<string, PendingConsent> | undefined) ?? {} };
  }

  /**
   * The capture as a `lead` entry on a live customer's timeline, with its event; and, when the
   * capture's consent answers change the customer's (`consent`), the profile's new consent and
   * waiting grants, conditioned on the version read, with `crm.customer.updated.v1`. `gone`: the
   * customer was erased or merged; `changed`: another write moved its version (read again).
   */
  async attachToCustomer(
    tenantId: string,
    activity: Activity,
    event: OutboxEvent,
    consent?: { before: Customer; after: Customer; pendingConsent: Record<string, PendingConsent>; updated: OutboxEvent },
  ): Promise<'attached' | 'gone' | 'changed'> {
    const profileKey = keys.customer(tenantId, activity.customerId);
    const profile: NamedItem = consent
      ? { name: 'profile', update: { TableName: this.tableName, Key: profileKey, ...consentUpdate(consent.before, consent.after, consent.pendingConsent) } }
      : { name: 'profile', conditionCheck: { TableName: this.tableName, Key: profileKey, ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } };
    const events = [event, ...(consent ? [consent.updated] : [])];
    try {
      await transactWrite(this.db, [
        profile,
        { name: 'entry', put: { TableName: this.tableName, Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity } } },
        ...events.map((e, i): NamedItem => ({ name: `event-${i}`, put: { TableName: this.tableName, Item: outboxItem(profileKey.PK, e.detailType, e.detail) } })),
      ]);
      return 'attached';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed) || !error.failed('profile')) throw error;
      return consent && (await this.matchedCustomer(tenantId, activity.customerId))?.customer.version !== consent.before.version ? 'changed' : 'gone';
    }
  }

  /** A followed confirmation link's grants on the customer (with its event); false when its version moved or it is gone. */
  async saveCustomerConsent(before: Customer, after: Customer, pendingConsent: Record<string, PendingConsent>, updated: OutboxEvent): Promise<boolean> {
    const profileKey = keys.customer(after.tenantId, after.id);
    try {
      await transactWrite(this.db, [
        { name: 'profile', update: { TableName: this.tableName, Key: profileKey, ...consentUpdate(before, after, pendingConsent) } },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(profileKey.PK, updated.detailType, updated.detail) } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('profile')) return false;
      throw error;
    }
  }

  /** Profile, guards, first signal and events in one transaction; a taken guard names the lead holding it. */
  async create(lead: Lead, signals: Signal[], events: OutboxEvent[]): Promise<CreateOutcome> {
    const guards = leadGuardItems(lead);
    const partition = keys.leadPartition(lead.tenantId, lead.id);
    try {
      await transactWrite(this.db, [
        ...guards.map(({ name, item }): NamedItem => ({
          name,
          put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
          returnCurrent: true,
        })),
        { name: 'profile', put: { TableName: this.tableName, Item: this.profileItem(lead), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...signals.map((s, i): NamedItem => ({ name: `signal-${i}`, put: { TableName: this.tableName, Item: this.signalItem(lead.tenantId, lead.id, s) } })),
        ...events.map((e, i): NamedItem => ({ name: `event-${i}`, put: { TableName: this.tableName, Item: outboxItem(partition, e.detailType, e.detail) } })),
      ]);
      return { created: true };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      const holder = guards.map(({ name }) => error.current(name)).find((current) => typeof current?.leadId === 'string');
      if (holder) return { created: false, existingLeadId: String(holder.leadId) };
      throw error;
    }
  }

  /** The lead and all its signals: one Query (consistent, so a write just made is seen). */
  async load(tenantId: string, leadId: string): Promise<{ lead: Lead; signals: Signal[] } | undefined> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK >= :first',
      ExpressionAttributeValues: { ':pk': keys.leadPartition(tenantId, leadId), ':first': FIRST_RECORD_SK },
      ConsistentRead: true,
    });
    const profile = items.find((item) => item.SK === 'PROFILE');
    if (!profile) return undefined;
    // An erased lead's tombstone is no lead: every route answers 410, none changes it.
    if (profile.erasedAt) throw new LeadErased(leadId);
    const signals = items.filter((item) => String(item.SK).startsWith(LEAD_SIGNAL_SK_PREFIX)).map((item) => withoutStorageAttributes(item) as unknown as Signal);
    return { lead: withoutStorageAttributes(profile) as unknown as Lead, signals };
  }

  /**
   * Writes the changed lead if nobody changed it since `expectedVersion`, with new signals and
   * events, in one transaction. Throws LeadChanged when another writer won.
   */
  async save(lead: Lead, expectedVersion: number, signals: Signal[], events: OutboxEvent[], load?: LoadChange): Promise<void> {
    const partition = keys.leadPartition(lead.tenantId, lead.id);
    try {
      await transactWrite(this.db, [
        {
          name: 'profile',
          put: {
            TableName: this.tableName,
            Item: this.profileItem(lead),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        },
        ...(load ? [{ name: 'load', update: this.loadUpdate(lead.tenantId, load) }] : []),
        ...signals.map((s, i): NamedItem => ({ name: `signal-${i}`, put: { TableName: this.tableName, Item: this.signalItem(lead.tenantId, lead.id, s) } })),
        ...events.map((e, i): NamedItem => ({ name: `event-${i}`, put: { TableName: this.tableName, Item: outboxItem(partition, e.detailType, e.detail) } })),
      ]);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('profile')) throw new LeadChanged();
      if (load && error.failed('load')) throw new LoadChanged();
      throw error;
    }
  }

  /** Open leads per rep (absent: none), one BatchGetItem. */
  async loads(tenantId: string, userIds: string[]): Promise<Map<string, number>> {
    const items = await this.batchGet(userIds.map((userId) => keys.userLeadLoad(tenantId, userId)));
    return new Map(items.map((item) => [String(item.userId), Number(item.open ?? 0)]));
  }

  private loadUpdate(tenantId: string, load: LoadChange) {
    return leadLoadUpdate(this.tableName, tenantId, load);
  }

  /**
   * The team's next round-robin ticket (1, 2, 3...): one atomic ADD, so concurrent captures each
   * get a different ticket and the rep sequence has no gaps or repeats.
   */
  async nextTicket(tenantId: string, teamId: string): Promise<number> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.routingCursor(tenantId, teamId),
        UpdateExpression: 'SET entity = :entity ADD ticket :one',
        ExpressionAttributeValues: { ':one': 1, ':entity': 'RoutingCursor' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.ticket);
  }

  async putConfig(key: { PK: string; SK: string }, config: unknown, userId: string, nowIso: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'LeadConfig', config, updatedAt: nowIso, updatedBy: userId } }));
  }

  /** A page of a tenant's leads in one status, newest update first (GSI5). */
  async listByStatus(tenantId: string, status: string, limit: number, startKey?: Record<string, string>) {
    const index = TABLE_INDEXES.gsi5;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': keys.leadsInStatus(tenantId, status).GSI5PK },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Lead), lastEvaluatedKey: result.LastEvaluatedKey };
  }

  private profileItem(lead: Lead) {
    return leadProfileItem(lead);
  }

  private signalItem(tenantId: string, leadId: string, signal: Signal) {
    return { ...keys.leadSignal(tenantId, leadId, signal.occurredAt, signal.id), entity: 'LeadSignal', ...signal };
  }
}

/** The lead's profile item with its status-list keys (GSI5). Exported for the conversion's transaction. */
export function leadProfileItem(lead: Lead) {
  return {
    ...keys.lead(lead.tenantId, lead.id),
    entity: 'Lead',
    ...lead,
    ...keys.leadsInStatus(lead.tenantId, lead.status),
    GSI5SK: `${lead.updatedAt}#${lead.id}`,
  };
}

/** The lead's email and phone guards. Exported so that leads seeded for a benchmark (bench/privacy.ts) hold the same items. */
export function leadGuardItems(lead: Pick<Lead, 'tenantId' | 'id' | 'email' | 'phone'>) {
  return [
    ...(lead.email ? [{ name: 'emailGuard', item: { ...keys.leadGuard(lead.tenantId, 'email', lead.email), entity: 'LeadGuard', leadId: lead.id } }] : []),
    ...(lead.phone ? [{ name: 'phoneGuard', item: { ...keys.leadGuard(lead.tenantId, 'phone', lead.phone), entity: 'LeadGuard', leadId: lead.id } }] : []),
  ];
}

/** The Update of a rep's open-lead count (least-loaded routing), for any transaction that moves it. */
export function leadLoadUpdate(tableName: string, tenantId: string, load: LoadChange) {
  const conditional = load.expectOpen !== undefined;
  return {
    TableName: tableName,
    Key: keys.userLeadLoad(tenantId, load.userId),
    UpdateExpression: 'SET entity = :entity, userId = :user ADD #open :delta',
    ...(conditional ? { ConditionExpression: load.expectOpen === 0 ? 'attribute_not_exists(#open) OR #open = :seen' : '#open = :seen' } : {}),
    ExpressionAttributeNames: { '#open': 'open' },
    ExpressionAttributeValues: { ':entity': 'UserLeadLoad', ':user': load.userId, ':delta': load.delta, ...(conditional ? { ':seen': load.expectOpen } : {}) },
  };
}

/**
 * The profile write of a capture's consent answers: the consent and the profile's bookkeeping
 * through profileUpdate (so the indexes that sort by update move with it), the waiting grants
 * beside them (`pendingConsent`, not part of the profile's view), if the profile is live and still
 * at the version read.
 */
function consentUpdate(before: Customer, after: Customer, pendingConsent: Record<string, PendingConsent>) {
  const set = profileUpdate(after, ['consent', 'updatedAt', 'updatedBy', 'version']);
  const [assignments, removals] = set.UpdateExpression.split(' REMOVE ');
  return {
    UpdateExpression: `${assignments}, #pending = :pending${removals ? ` REMOVE ${removals}` : ''}`,
    ConditionExpression: `${LIVE_PROFILE_CONDITION} AND #version = :expected`,
    ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#pending': 'pendingConsent', '#version': 'version' },
    ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ...LIVE_PROFILE_VALUES, ':pending': pendingConsent, ':expected': before.version },
  };
}
