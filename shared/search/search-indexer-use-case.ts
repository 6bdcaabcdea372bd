import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { DEAL_SK_PREFIX, recordPartitionOf } from '../keys';
import { logError } from '../log';
import {
  contactRecord,
  customerRecord,
  customerScope,
  dealRecord,
  entryChanges,
  isLiveCustomer,
  leadRecord,
  type ReaderScope,
  type SearchEntry,
  searchEntries,
  type SearchRecord,
} from './search-entry';
import type { SearchIndexRepository } from './search-index-repository';

type Item = Record<string, unknown>;

/** The records of a customer's partition search knows; the rest of the partition is not indexed. */
const CONTACT_SK_PREFIX = 'CONTACT#';

/** A contact's or deal's record under a scope (undefined: not searchable). */
function innerRecord(item: Item | undefined, customerId: string, scope: ReaderScope): SearchRecord | undefined {
  const sk = String(item?.SK ?? '');
  if (sk.startsWith(CONTACT_SK_PREFIX)) return contactRecord(item, customerId, scope);
  if (sk.startsWith(DEAL_SK_PREFIX)) return dealRecord(item, customerId, scope);
  return undefined;
}

const entriesOf = (tenantId: string, record: SearchRecord | undefined): SearchEntry[] => (record ? searchEntries(tenantId, record) : []);

/** Keys of index items do not depend on who may read: a record's old entries under any scope name the items to remove. */
const NO_SCOPE: ReaderScope = { ownerId: null, teamId: null };

/**
 * The keys of the index items a live customer's profile, contact or deal has (erasure deletes
 * them in its own request, not a stream's delay later: docs/privacy.md).
 */
export function searchEntryKeys(tenantId: string, customerId: string, item: Item): { PK: string; SK: string }[] {
  const record = String(item.SK) === 'PROFILE' ? customerRecord(item) : innerRecord(item, customerId, NO_SCOPE);
  return entriesOf(tenantId, record).map(({ PK, SK }) => ({ PK, SK }));
}

const sameScope = (a: Item | undefined, b: Item | undefined) =>
  isLiveCustomer(a) === isLiveCustomer(b) && (a?.ownerId ?? null) === (b?.ownerId ?? null) && (a?.teamId ?? null) === (b?.teamId ?? null);

/**
 * Keeps the search index in step with the table (docs/search.md), from the table stream: for
 * each changed customer profile, contact, deal or lead, the index items of its old image are
 * replaced by those of its new one (only the difference is written; a merged or erased customer
 * has none, so it leaves search). When a customer's readers change (owner, team, merged,
 * erased) its contacts' and deals' items are rewritten with the new readers. Records are handled
 * in stream order; a failure reports its record and every later one (ReportBatchItemFailures),
 * so Lambda retries from there. Writes are idempotent: a retried record writes the same items.
 */
export async function indexSearchRecords(records: DynamoDBRecord[], index: SearchIndexRepository): Promise<DynamoDBBatchResponse> {
  for (const [position, record] of records.entries()) {
    try {
      await indexRecord(record, index);
    } catch (error) {
      logError('search indexing failed; the batch is retried from this record', error, { sequenceNumber: record.dynamodb?.SequenceNumber });
      return { batchItemFailures: records.slice(position).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
    }
  }
  return { batchItemFailures: [] };
}

function image(value: unknown): Item | undefined {
  if (!value) return undefined;
  try {
    return unmarshall(value as Record<string, AttributeValue>);
  } catch (error) {
    // A malformed image stays malformed on every retry: skip it rather than block the shard.
    logError('stream image cannot be read; not indexed', error);
    return undefined;
  }
}

async function indexRecord(record: DynamoDBRecord, index: SearchIndexRepository): Promise<void> {
  const pk = record.dynamodb?.Keys?.PK?.S;
  const sk = record.dynamodb?.Keys?.SK?.S;
  const partition = pk ? recordPartitionOf(pk) : undefined;
  if (!partition || !sk) return;
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  const { tenantId, id } = partition;

  if (partition.kind === 'lead') {
    if (sk === 'PROFILE') await index.write(entryChanges(entriesOf(tenantId, leadRecord(before)), entriesOf(tenantId, leadRecord(after))));
    return;
  }
  if (sk === 'PROFILE') {
    // An older change read after an erasure or merge must not bring the copies back: a live image
    // is indexed only while the profile is still live (erasure has deleted its entries already).
    // (Checked only when the change would add entries: most edits touch no searchable field.)
    const old = entriesOf(tenantId, customerRecord(before));
    const changes = entryChanges(old, entriesOf(tenantId, customerRecord(after)));
    const stillLive = changes.put.length === 0 || isLiveCustomer(await index.profile(tenantId, id));
    await index.write(stillLive ? changes : entryChanges(old, []));
    // A new customer has no contacts or deals yet; a change of readers moves theirs along.
    if (before && !sameScope(before, after)) await reindexInnerRecords(index, tenantId, id, after);
    return;
  }
  if (!sk.startsWith(CONTACT_SK_PREFIX) && !sk.startsWith(DEAL_SK_PREFIX)) return;
  const profile = await index.profile(tenantId, id);
  const scope = isLiveCustomer(profile) ? customerScope(profile) : undefined;
  const old = entriesOf(tenantId, innerRecord(before, id, scope ?? NO_SCOPE));
  await index.write(entryChanges(old, scope ? entriesOf(tenantId, innerRecord(after, id, scope)) : []));
}

/** Every contact and deal of the customer, indexed under its readers now (none once it is merged or erased). */
async function reindexInnerRecords(index: SearchIndexRepository, tenantId: string, customerId: string, profile: Item | undefined): Promise<void> {
  const scope = isLiveCustomer(profile) ? customerScope(profile) : undefined;
  for (const item of await index.recordsOf(tenantId, customerId)) {
    const old = entriesOf(tenantId, innerRecord(item, customerId, NO_SCOPE));
    const now = scope ? entriesOf(tenantId, innerRecord(item, customerId, scope)) : [];
    // Written whole: the items' readers are what changed, and `old` was built without them.
    await index.write({ put: now, remove: entryChanges(old, now).remove });
  }
}

/**
 * Indexes items written before the search index existed (docs/search.md, "Existing data"): each
 * customer profile, contact, deal or lead profile as if it had just been inserted, through the
 * same code as the stream. Idempotent, and safe beside the stream indexer: both write the
 * entries of the state they read. Throws on the first failure; run it again to go on.
 */
export async function backfillSearchIndex(items: readonly Item[], index: SearchIndexRepository): Promise<{ read: number }> {
  let read = 0;
  for (const item of items) {
    if (typeof item.PK !== 'string' || typeof item.SK !== 'string') continue;
    const asInsert: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { Keys: { PK: { S: item.PK }, SK: { S: item.SK } }, NewImage: marshall(item, { removeUndefinedValues: true }) as Record<string, StreamAttributeValue> },
    };
    await indexRecord(asInsert, index);
    read++;
  }
  return { read };
}
