import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from '../aws/batch-items';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { type Campaign, CampaignNotFound, type CampaignRecipient, type CampaignStatName, emptyCampaignStats, type RecipientStatus, STAT_OF_STATUS } from './campaign';
import type { AbVariantName } from './campaign-ab-test';

const CAMPAIGN_ATTRIBUTES = [
  'id', 'tenantId', 'name', 'templateId', 'segmentId', 'topic', 'sendAt', 'ratePerSecond', 'budget', 'offer', 'abTest', 'variantStats', 'status', 'runId', 'runs',
  'frozenAt', 'audience', 'placeholders', 'stats', 'startedAt', 'completedAt', 'failure', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof Campaign)[];

export function toCampaign(item: Record<string, unknown>): Campaign {
  const campaign = Object.fromEntries(CAMPAIGN_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as Campaign;
  // A stat added after the campaign was stored reads as 0.
  return { ...campaign, stats: { ...emptyCampaignStats(), ...(campaign.stats ?? {}) } };
}

function toRecipient(item: Record<string, unknown>): CampaignRecipient {
  const { PK: _pk, SK: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as CampaignRecipient;
}

/** The marketing-due kind of a scheduled campaign start, and its item's sort key. */
export const CAMPAIGN_START_KIND = 'campaign-start';
const CAMPAIGN_START_SK = '$DUE#START';

/** The campaign changed since it was read (another request, the flow); the caller reads again. */
export class CampaignChanged extends Error {
  constructor(campaignId: string) {
    super(`Campaign ${campaignId} changed while being updated`);
    this.name = 'CampaignChanged';
  }
}

/** A recipient's move within one batch attempt: its new status and what else to stamp. */
export interface RecipientChange {
  customerId: string;
  from: RecipientStatus;
  /** Only the attempt that claimed a recipient may settle it. */
  attempt?: string;
  to: RecipientStatus;
  set?: Record<string, string>;
}

/**
 * Campaigns (`T#<t>#CAMPAIGNS`, `CAMP#<id>`) and their recipients (`T#<t>#CAMP#<id>`, `R#<customer>`).
 * Status changes are updates conditioned on the version read, never whole-item puts, because the
 * stats on the same item move concurrently (batches, SES events). Every recipient move goes with
 * its stat in one transaction, so stats and statuses cannot drift apart.
 */
export class CampaignRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(campaign: Campaign): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.campaign(campaign.tenantId, campaign.id), entity: 'Campaign', ...campaign }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  async get(tenantId: string, campaignId: string, consistent = false): Promise<Campaign | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.campaign(tenantId, campaignId), ConsistentRead: consistent }));
    return result.Item ? toCampaign(result.Item) : undefined;
  }

  async require(tenantId: string, campaignId: string): Promise<Campaign> {
    const campaign = await this.get(tenantId, campaignId, true);
    if (!campaign) throw new CampaignNotFound(campaignId);
    return campaign;
  }

  /** Every campaign of the tenant, oldest first (ULIDs). */
  async list(tenantId: string): Promise<Campaign[]> {
    const { PK, skPrefix } = keys.campaigns(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map(toCampaign);
  }

  /**
   * Sets these attributes (never `stats`) if the campaign is still at `before.version`, with an
   * outbox event in the same transaction when given. CampaignChanged when it moved on.
   */
  async update(before: Campaign, changes: Partial<Omit<Campaign, 'stats' | 'version'>>, event?: { detailType: string; detail: { id: string } }): Promise<Campaign> {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': before.version, ':next': before.version + 1 };
    const sets = Object.entries(changes).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value ?? null;
      return `#a${i} = :a${i}`;
    });
    const key = keys.campaign(before.tenantId, before.id);
    const update = {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: `SET ${[...sets, '#version = :next'].join(', ')}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    try {
      if (event) {
        const partition = keys.campaignRecipients(before.tenantId, before.id).PK;
        await transactWrite(this.db, [
          { name: 'campaign', update },
          { name: 'event', put: { TableName: this.tableName, Item: outboxItem(partition, event.detailType, event.detail) } },
        ]);
      } else {
        await this.db.send(new UpdateCommand(update));
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionConditionFailed) throw new CampaignChanged(before.id);
      throw error;
    }
    return { ...before, ...changes, version: before.version + 1 } as Campaign;
  }

  /**
   * The due entry of a scheduled start (docs/marketing.md, "Scheduled campaigns"): an item in the
   * campaign's partition on the marketing-due index (GSI2), which the marketing-due sweep reads.
   * Deleting it once handled touches nothing else of the campaign.
   */
  async scheduleStart(campaign: Campaign, at: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: startDueItem(campaign, at) }));
  }

  /**
   * An A/B test's mails are out: the test waits for its winner until `test.decideAt`, when the
   * marketing-due sweep starts the run that picks it and mails the rest (a due entry like a
   * scheduled start's, written in the same transaction, so a crash cannot leave a test waiting
   * with nothing to wake it).
   */
  async awaitWinner(before: Campaign, test: NonNullable<Campaign['abTest']>): Promise<Campaign> {
    try {
      await transactWrite(this.db, [
        {
          name: 'campaign',
          update: {
            TableName: this.tableName,
            Key: keys.campaign(before.tenantId, before.id),
            UpdateExpression: 'SET abTest = :test, #version = :next',
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':test': test, ':expected': before.version, ':next': before.version + 1 },
          },
        },
        { name: 'due', put: { TableName: this.tableName, Item: startDueItem(before, test.decideAt!) } },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed) throw new CampaignChanged(before.id);
      throw error;
    }
    return { ...before, abTest: test, version: before.version + 1 };
  }

  /**
   * One page of the audience frozen: its recipient items, then the campaign's progress and stats
   * in one update conditioned on the page it started from. A retried page whose first attempt
   * committed fails that condition and changes nothing (`false`); one whose first attempt died
   * before committing rewrites the same items and counts them once.
   */
  async commitFrozenPage(
    campaign: Campaign,
    page: { startCursor: string; nextCursor: string; queued: number; recipients: CampaignRecipient[]; frozenAt: string | null },
  ): Promise<boolean> {
    await batchPutAll(
      this.db,
      this.tableName,
      page.recipients.map((r) => ({ ...keys.campaignRecipient(campaign.tenantId, campaign.id, r.customerId), entity: 'CampaignRecipient', ...r })),
    );
    const counts = countStats(page.recipients.map((r) => r.status));
    counts.audience = page.recipients.length;
    const { expression, names, values } = addStats(counts);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign(campaign.tenantId, campaign.id),
          UpdateExpression: `SET audience.#cursor = :next, audience.#queued = :queued${page.frozenAt ? ', frozenAt = :frozenAt' : ''}${expression}`,
          ConditionExpression: 'audience.#cursor = :start',
          ExpressionAttributeNames: { ...names, '#cursor': 'cursor', '#queued': 'queued' },
          ExpressionAttributeValues: { ...values, ':next': page.nextCursor, ':queued': page.queued, ':start': page.startCursor, ...(page.frozenAt ? { ':frozenAt': page.frozenAt } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Up to `want` queued recipients after `after` (an SK), in key order, and the SK to continue
   * from; `exhausted` when the partition has no more. Also the recipients on the way that an
   * earlier run claimed (`sending`, an attempt not of `runId`) and never settled: that run failed
   * or was superseded after claiming, so whether they were mailed is unknown. Reads keys, status,
   * attempt and A/B variant only; `testOnly` passes over the queued recipients without a variant
   * (the rest of an A/B test, waiting for the winner).
   */
  async queuedAfter(
    tenantId: string,
    campaignId: string,
    after: string | null,
    want: number,
    runId: string,
    options: { testOnly?: boolean } = {},
  ): Promise<{ customerIds: string[]; variants: Map<string, AbVariantName>; orphaned: { customerId: string; attempt: string }[]; last: string | null; exhausted: boolean }> {
    const { PK, skPrefix } = keys.campaignRecipients(tenantId, campaignId);
    const customerIds: string[] = [];
    const variants = new Map<string, AbVariantName>();
    const orphaned: { customerId: string; attempt: string }[] = [];
    let start: Record<string, unknown> | undefined = after ? { PK, SK: after } : undefined;
    let last: string | null = after;
    for (;;) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
          ProjectionExpression: 'SK, #status, attempt, variant',
          ExpressionAttributeNames: { '#status': 'status' },
          ExclusiveStartKey: start,
          Limit: 1000,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = String(item.SK);
        if (item.status === 'queued' && !(options.testOnly && !item.variant)) {
          const customerId = sk.slice(skPrefix.length);
          customerIds.push(customerId);
          if (item.variant) variants.set(customerId, item.variant as AbVariantName);
          last = sk;
          if (customerIds.length === want) return { customerIds, variants, orphaned, last, exhausted: false };
        } else {
          if (item.status === 'sending' && typeof item.attempt === 'string' && !item.attempt.startsWith(`${runId}#`)) {
            orphaned.push({ customerId: sk.slice(skPrefix.length), attempt: item.attempt });
          }
          last = sk;
        }
      }
      if (!page.LastEvaluatedKey) return { customerIds, variants, orphaned, last, exhausted: true };
      start = page.LastEvaluatedKey;
    }
  }

  async recipients(tenantId: string, campaignId: string, customerIds: readonly string[]): Promise<CampaignRecipient[]> {
    const items = await batchGetAll(this.db, this.tableName, customerIds.map((c) => keys.campaignRecipient(tenantId, campaignId, c)), { consistent: true });
    return items.map(toRecipient);
  }

  /** One recipient, for tests and the API's diagnostics. */
  async recipient(tenantId: string, campaignId: string, customerId: string): Promise<CampaignRecipient | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.campaignRecipient(tenantId, campaignId, customerId), ConsistentRead: true }));
    return result.Item ? toRecipient(result.Item) : undefined;
  }

  /**
   * Moves recipients of one batch and counts the final statuses on the campaign, all in one
   * transaction (at most 50 recipients + 1 campaign). Each move is conditioned on the status (and
   * attempt) it leaves, so two attempts of one batch cannot both claim or settle a recipient:
   * `false` when any condition failed and nothing was written. A batch of an A/B variant also
   * counts its sent and failed on that variant.
   */
  async moveRecipients(tenantId: string, campaignId: string, changes: readonly RecipientChange[], variant: AbVariantName | null = null): Promise<boolean> {
    if (!changes.length) return true;
    const items: NamedItem[] = changes.map((c, index) => {
      const sets = Object.entries(c.set ?? {});
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':from': c.from, ':to': c.to };
      sets.forEach(([name], i) => (names[`#s${i}`] = name));
      sets.forEach(([, value], i) => (values[`:s${i}`] = value));
      let condition = '#status = :from';
      if (c.attempt !== undefined) {
        names['#attempt'] = 'attempt';
        values[':attempt'] = c.attempt;
        condition += ' AND #attempt = :attempt';
      }
      return {
        name: `recipient-${index}`,
        update: {
          TableName: this.tableName,
          Key: keys.campaignRecipient(tenantId, campaignId, c.customerId),
          UpdateExpression: `SET ${['#status = :to', ...sets.map((_, i) => `#s${i} = :s${i}`)].join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
    const counts = countStats(changes.map((c) => c.to));
    const { expression, names, values } = addStats(counts, variant ? variantCounts(counts) : {}, variant);
    if (expression) {
      items.push({
        name: 'stats',
        update: {
          TableName: this.tableName,
          Key: keys.campaign(tenantId, campaignId),
          UpdateExpression: `SET ${expression.slice(2)}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    try {
      await transactWrite(this.db, items);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return false;
      throw error;
    }
  }
}

/** The marketing-due entry that starts a run of the campaign at `at` (a scheduled start, an A/B test's decision). */
function startDueItem(campaign: Campaign, at: string) {
  return {
    PK: keys.campaignRecipients(campaign.tenantId, campaign.id).PK,
    SK: CAMPAIGN_START_SK,
    ...keys.marketingDue(at, campaign.tenantId, CAMPAIGN_START_KIND, campaign.id),
    entity: 'MarketingDue',
    kind: CAMPAIGN_START_KIND,
    tenantId: campaign.tenantId,
    campaignId: campaign.id,
    dueAt: at,
  };
}

function countStats(statuses: readonly RecipientStatus[]): Partial<Record<CampaignStatName, number>> {
  const counts: Partial<Record<CampaignStatName, number>> = {};
  for (const status of statuses) {
    const stat = STAT_OF_STATUS[status];
    if (stat) counts[stat] = (counts[stat] ?? 0) + 1;
  }
  return counts;
}

/** The counts an A/B variant keeps of a batch: its mails sent and failed. */
function variantCounts(counts: Partial<Record<CampaignStatName, number>>): Record<string, number> {
  return { sent: counts.sent ?? 0, failed: counts.failed ?? 0 };
}

/**
 * `, #stats.#n0 = if_not_exists(#stats.#n0, :zero) + :v0, ...` for each non-zero count (nothing, and
 * no names, when none); a stat newer than the campaign starts at 0. With a variant, its counts in
 * `variantStats.<variant>` too (the map exists from the campaign's creation).
 */
function addStats(counts: Partial<Record<CampaignStatName, number>>, perVariant: Record<string, number> = {}, variant: AbVariantName | null = null) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  let expression = '';
  Object.entries(counts).forEach(([stat, n], i) => {
    if (!n) return;
    names['#stats'] = 'stats';
    names[`#n${i}`] = stat;
    values[`:v${i}`] = n;
    values[':zero'] = 0;
    expression += `, #stats.#n${i} = if_not_exists(#stats.#n${i}, :zero) + :v${i}`;
  });
  if (variant) {
    Object.entries(perVariant).forEach(([stat, n], i) => {
      if (!n) return;
      Object.assign(names, { '#vstats': 'variantStats', '#variant': variant, [`#w${i}`]: stat });
      values[`:w${i}`] = n;
      values[':zero'] = 0;
      expression += `, #vstats.#variant.#w${i} = if_not_exists(#vstats.#variant.#w${i}, :zero) + :w${i}`;
    });
  }
  return { expression, names, values };
}
