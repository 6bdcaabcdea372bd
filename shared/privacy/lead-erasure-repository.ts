import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../aws/batch-items';
import { leadErasedV1 } from '../../events/privacy/lead-erased.v1';
import type { Caller } from '../access/caller';
import { type NamedItem, TransactionConditionFailed, transactPutAtVersion, transactWrite } from '../aws/transact-write';
import { queryAllPages } from '../aws/query-all-pages';
import { clock } from '../clock';
import { SuppressionRepository } from '../consent/suppression-repository';
import { Conflict } from '../errors';
import { ACTIVITY_SK_PREFIX, keys, LEAD_SIGNAL_SK_PREFIX, withoutStorageAttributes } from '../keys';
import { newEvent, outboxItem } from '../outbox/outbox';
import { leadRecord, searchEntries } from '../search/search-entry';
import { LeadErased } from '../leads/lead-errors';
import { authorizeLeadPrivacy, erasedLeadItem, leadGuardValues, type StoredLead } from './lead-erasure';

/** Attempts at the tombstone while the lead keeps changing between read and write. */
const TOMBSTONE_ATTEMPTS = 3;

/**
 * A lead's privacy requests (docs/privacy.md, "Leads"): its export (every item of its partition)
 * and its erasure in two steps, each safe to repeat, so a request that died between them is
 * finished by the next DELETE: (1) one transaction turns the profile into a tombstone, gives back
 * its email and phone guards and commits `crm.lead.erased.v1`; (2) every other item of its
 * partition is deleted. The search entries and the suppression list's copy of the address go
 * before the records that name them.
 */
export class LeadPrivacyRepository {
  private readonly suppressionList: SuppressionRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.suppressionList = new SuppressionRepository(db, tableName);
  }

  items(tenantId: string, leadId: string): Promise<Record<string, unknown>[]> {
    return queryAllPages(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.leadPartition(tenantId, leadId) }, ConsistentRead: true });
  }

  /** Strongly consistent: a retry right after step 1 must see the tombstone. */
  async get(tenantId: string, leadId: string): Promise<StoredLead | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.lead(tenantId, leadId), ConsistentRead: true }));
    return Item ? (withoutStorageAttributes(Item) as unknown as StoredLead) : undefined;
  }

  /** The lead holding this email or phone (its guard), if any. */
  async holderOf(tenantId: string, field: 'email' | 'phone', value: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.leadGuard(tenantId, field, value), ProjectionExpression: 'leadId' }));
    return typeof Item?.leadId === 'string' ? Item.leadId : undefined;
  }

  /** Leads converted into this customer: its timeline's `lead` entries name them (a Query of its activity range). */
  async convertedInto(tenantId: string, customerId: string): Promise<string[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :activities)',
      FilterExpression: '#type = :lead AND attribute_exists(payload.leadId)',
      ProjectionExpression: 'payload.leadId',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':activities': ACTIVITY_SK_PREFIX, ':lead': 'lead' },
      ConsistentRead: true,
    });
    return items.map((item) => (item.payload as { leadId?: unknown } | undefined)?.leadId).filter((id): id is string => typeof id === 'string');
  }

  /** Step 1; 'changed' when the lead is no longer at the version read (the caller reads again). */
  async tombstone(lead: StoredLead, tombstone: Record<string, unknown>, event: { detailType: string; detail: { id: string } }): Promise<'erased' | 'changed'> {
    if (lead.email) await this.suppressionList.forgetAddress(lead.tenantId, lead.email);
    const items: NamedItem[] = [
      transactPutAtVersion('tombstone', this.tableName, tombstone, lead.version),
      // Only this lead's own guards: a value another lead holds (inconsistent data) is left alone.
      ...leadGuardValues(lead).map(({ field, value }, i): NamedItem => ({
        name: `guard-${i}`,
        delete: { TableName: this.tableName, Key: keys.leadGuard(lead.tenantId, field, value), ConditionExpression: 'attribute_not_exists(leadId) OR leadId = :id', ExpressionAttributeValues: { ':id': lead.id } },
      })),
      { name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.leadPartition(lead.tenantId, lead.id), event.detailType, event.detail) } },
    ];
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('tombstone')) return 'changed';
      throw error;
    }
    // Its search entries go with it, before the 204 (the stream indexer would, a moment later).
    await batchWriteAll(this.db, this.tableName, searchEntries(lead.tenantId, leadRecord({ ...lead, SK: 'PROFILE' })!).map(({ PK, SK }) => ({ DeleteRequest: { Key: { PK, SK } } })));
    return 'erased';
  }

  /** Step 2: every item of the partition but the tombstone (and the erasure's own event, which holds ids only). */
  async scrubPartition(tenantId: string, leadId: string): Promise<number> {
    let deleted = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.leadPartition(tenantId, leadId) }, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      const doomed = (page.Items ?? []).filter((item) => item.SK !== 'PROFILE' && item.detailType !== leadErasedV1.detailType);
      await batchWriteAll(this.db, this.tableName, doomed.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })));
      deleted += doomed.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }
}

/**
 * DELETE /leads/{id}: erases the lead's personal data, admins only. Idempotent and resumable: on an
 * erased lead it finishes the scrubbing and answers as before.
 */
export async function eraseLead(repo: LeadPrivacyRepository, caller: Caller, leadId: string, correlationId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const lead = authorizeLeadPrivacy(caller, await repo.get(caller.tenantId, leadId), leadId);
    if (lead.erasedAt) break;
    const erasedAt = clock.nowIso();
    const detail = newEvent(leadErasedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, { leadId, erasedAt });
    if ((await repo.tombstone(lead, erasedLeadItem(lead, caller, erasedAt), { detailType: leadErasedV1.detailType, detail })) === 'erased') break;
    if (attempt >= TOMBSTONE_ATTEMPTS) throw new Conflict('The lead kept changing while it was being erased; send the DELETE again');
  }
  await repo.scrubPartition(caller.tenantId, leadId);
}

/**
 * The same person's leads: those converted into the customer (its timeline names them) and those
 * still holding one of its addresses (their guards). Erasing a customer erases them too; an
 * erased one is only scrubbed again.
 */
export async function eraseLeadsOfCustomer(repo: LeadPrivacyRepository, caller: Caller, customer: { id: string; emails: readonly string[]; phones: readonly string[] }, correlationId: string): Promise<string[]> {
  const found = new Set(await repo.convertedInto(caller.tenantId, customer.id));
  for (const [field, values] of [['email', customer.emails], ['phone', customer.phones]] as const) {
    for (const value of values) {
      const leadId = await repo.holderOf(caller.tenantId, field, value);
      if (leadId) found.add(leadId);
    }
  }
  for (const leadId of found) if (await repo.get(caller.tenantId, leadId)) await eraseLead(repo, caller, leadId, correlationId);
  return [...found];
}

/** GET /leads/{id}/export: everything stored about a lead (access and portability requests), admins only. */
export async function exportLead(repo: LeadPrivacyRepository, caller: Caller, leadId: string) {
  const items = await repo.items(caller.tenantId, leadId);
  const profile = items.find((i) => i.SK === 'PROFILE');
  const lead = authorizeLeadPrivacy(caller, profile && (withoutStorageAttributes(profile) as unknown as StoredLead), leadId);
  if (lead.erasedAt) throw new LeadErased(leadId);
  const isSignal = (i: Record<string, unknown>) => String(i.SK).startsWith(LEAD_SIGNAL_SK_PREFIX);
  return {
    exportedAt: clock.nowIso(),
    leadId,
    profile: lead,
    /** Page views, mail opens, form posts: what scored the lead. */
    signals: items.filter(isSignal).map(withoutStorageAttributes),
    /** Everything else in the lead's partition (its events still in the outbox). */
    other: items.filter((i) => i.SK !== 'PROFILE' && !isSignal(i)).map(withoutStorageAttributes),
  };
}
