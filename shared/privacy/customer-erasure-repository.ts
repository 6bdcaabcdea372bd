import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerErasedV1 } from '../../events/customer-erased.v1';
import type { Caller } from '../access/caller';
import { counterUpdate, leavingBook } from '../allocation/user-counters';
import { batchWriteAll, type WriteRequest } from '../aws/batch-items';
import { type NamedItem, named, TransactionConditionFailed, transactPutAtVersion, transactWrite } from '../aws/transact-write';
import { clock } from '../clock';
import { Conflict } from '../errors';
import { keys } from '../keys';
import { searchEntryKeys } from '../search/search-indexer-use-case';
import { newEvent, outboxItem } from '../outbox/outbox';
import { type UniqueValue, uniqueValues } from '../customers/contact-points';
import type { Customer } from '../customers/customer';
import { SuppressionRepository } from '../consent/suppression-repository';
import { addressesHeldBy, authorizeErasure, erasedEventData, erasedProfile, mergedSourceOf, scrub, SUPPRESSED_EFFECTS, suppressionMarker } from './customer-erasure';
import { type OutboxEvent, toCustomer } from '../customers/customer-repository';
import { eraseLeadsOfCustomer, type LeadPrivacyRepository } from './lead-erasure-repository';


/** Attempts at step 1 while the profile keeps changing between read and write. */
const TOMBSTONE_ATTEMPTS = 3;

/** Customers merged into merged customers...: a chain longer than this is not followed in one request. */
const MAX_CUSTOMERS_PER_ERASURE = 50;

export interface ScrubResult {
  replaced: number;
  deleted: number;
  /** Customers merged into this one, named by its merge entries. */
  mergedSources: string[];
}

export interface ErasureResult {
  /** Every customer whose data was erased or scrubbed: the one asked for, then those merged into it. */
  customers: string[];
  replaced: number;
  deleted: number;
}

/**
 * Erasure's storage side. Step 1 (`tombstone`) is one transaction: the profile becomes an
 * anonymous tombstone, the uniqueness guards go, the erasure event is committed. Step 2
 * (`scrubPartition`) applies `scrub` to every item of the customer's partition. Both are safe to
 * repeat, so a request that died between or inside them is finished by the next DELETE.
 */
export class CustomerEraser {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.suppressionList = new SuppressionRepository(db, tableName);
  }

  private readonly suppressionList: SuppressionRepository;

  /**
   * Suppression list entries of these addresses keep suppressing (their key is the address's
   * hash) but no longer hold the address. Runs before the items holding the addresses are
   * scrubbed, so a request that dies in between leaves the addresses to find for the next DELETE.
   */
  async forgetSuppressedAddresses(tenantId: string, addresses: readonly string[]): Promise<void> {
    for (const address of new Set(addresses)) await this.suppressionList.forgetAddress(tenantId, address);
  }

  /**
   * Deletes the search index items of these records (a live profile, contacts, deals) before the
   * records themselves are scrubbed: the stream indexer would do it too, but only after the 204.
   */
  private async forgetSearchEntries(tenantId: string, customerId: string, items: readonly Record<string, unknown>[]): Promise<void> {
    const unique = new Map(items.flatMap((item) => searchEntryKeys(tenantId, customerId, item)).map((key) => [`${key.PK}\n${key.SK}`, key]));
    const requests: WriteRequest[] = [...unique.values()].map((Key) => ({ DeleteRequest: { Key } }));
    await batchWriteAll(this.db, this.tableName, requests);
  }

  /** Strongly consistent: a retry right after step 1 must see the tombstone. */
  async get(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId), ConsistentRead: true }));
    return Item ? toCustomer(Item) : undefined;
  }

  /**
   * Step 1. 'changed' when the profile is no longer at the version read (edited, merged or erased
   * meanwhile): the caller reads again. A guard held by another customer (never this one's to
   * release; only inconsistent data can get there) is left alone rather than blocking erasure.
   */
  async tombstone(customer: Customer, tombstone: Record<string, unknown>, guards: UniqueValue[], event: OutboxEvent): Promise<'erased' | 'changed'> {
    let held = guards;
    for (;;) {
      const items: NamedItem[] = [
        transactPutAtVersion('tombstone', this.tableName, tombstone, customer.version),
        ...held.map((guard, i): NamedItem => ({
          name: `guard-${i}`,
          delete: {
            TableName: this.tableName,
            Key: keys.uniqueGuard(customer.tenantId, guard.field, guard.value),
            ConditionExpression: 'attribute_not_exists(customerId) OR customerId = :id',
            ExpressionAttributeValues: { ':id': customer.id },
          },
        })),
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.customerPartition(customer.tenantId, customer.id), event.detailType, event.detail) } },
        // A live owned customer leaves its owner's book (a merged one left it at the merge).
        ...(customer.mergedInto ? [] : [leavingBook(customer)].filter((c) => c !== undefined).map((c) => named('book', counterUpdate(this.tableName, c)))),
      ];
      try {
        await transactWrite(this.db, items);
        // The profile's search entries (name words, emails, phones) go with it, before the 204.
        await this.forgetSearchEntries(customer.tenantId, customer.id, [{ ...customer, SK: 'PROFILE' }]);
        return 'erased';
      } catch (error) {
        if (!(error instanceof TransactionConditionFailed)) throw error;
        if (error.failed('tombstone')) return 'changed';
        const remaining = held.filter((_, i) => !error.failed(`guard-${i}`));
        if (remaining.length === held.length) throw error;
        held = remaining;
      }
    }
  }

  /**
   * Step 2: every item of the partition, one page at a time (strongly consistent, so nothing
   * step 1 or a racing writer committed before is missed), scrubbed with BatchWriteItem. Pages
   * are read before they are rewritten, and a rewrite keeps the item's key, so paging is stable.
   */
  async scrubPartition(tenantId: string, customerId: string): Promise<ScrubResult> {
    const result: ScrubResult = { replaced: 0, deleted: 0, mergedSources: [] };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      const writes: WriteRequest[] = [];
      await this.forgetSuppressedAddresses(tenantId, (page.Items ?? []).flatMap(addressesHeldBy));
      await this.forgetSearchEntries(tenantId, customerId, page.Items ?? []);
      for (const item of page.Items ?? []) {
        const source = mergedSourceOf(item);
        if (source && !result.mergedSources.includes(source)) result.mergedSources.push(source);
        const action = scrub(item);
        if (action.action === 'replace') {
          writes.push({ PutRequest: { Item: action.item } });
          result.replaced++;
        } else if (action.action === 'delete') {
          writes.push({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } });
          result.deleted++;
        }
      }
      await batchWriteAll(this.db, this.tableName, writes);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return result;
  }

  /** Claims each effect erasure suppresses, unless its consumer already claimed it (then it stays as it is). */
  async suppressEffects(tenantId: string, customerId: string, nowIso: string): Promise<void> {
    for (const effect of SUPPRESSED_EFFECTS) {
      try {
        await this.db.send(
          new PutCommand({ TableName: this.tableName, Item: suppressionMarker(tenantId, customerId, effect, nowIso), ConditionExpression: 'attribute_not_exists(PK)' }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
}

/**
 * Step 1 for one customer, re-reading while the profile changes under it. `admit` decides from
 * the profile read (and may throw 404/403/410); an already erased customer is returned as it is.
 */
async function tombstoneProfile(
  eraser: CustomerEraser,
  caller: Caller,
  customerId: string,
  correlationId: string,
  admit: (customer: Customer | undefined) => Customer | undefined,
): Promise<Customer | undefined> {
  for (let attempt = 1; ; attempt++) {
    const customer = admit(await eraser.get(caller.tenantId, customerId));
    if (!customer || customer.erasedAt) return customer;
    const erasedAt = clock.nowIso();
    const context = { tenantId: caller.tenantId, actor: { type: 'user' as const, id: caller.userId }, correlationId };
    const detail = newEvent(customerErasedV1, context, erasedEventData(customer.id, erasedAt));
    await eraser.forgetSuppressedAddresses(caller.tenantId, customer.emails);
    const outcome = await eraser.tombstone(customer, erasedProfile(customer, caller, erasedAt), uniqueValues(customer), {
      detailType: customerErasedV1.detailType,
      detail,
    });
    if (outcome === 'erased') return customer;
    if (attempt >= TOMBSTONE_ATTEMPTS) throw new Conflict('The customer kept changing while it was being erased; send the DELETE again');
  }
}

/**
 * DELETE /customers/{id}: erases the customer's personal data, admins only (customer-erasure.ts).
 * Step 1, then step 2 on its partition; then the same for every customer merged into it (their
 * tombstones and partitions hold the same person's data), found through its merge entries.
 * Idempotent and resumable: on an erased customer it only finishes what is unfinished. With
 * `leads`, the leads holding its emails and phones are erased too (docs/privacy.md, "Leads").
 */
export async function eraseCustomer(eraser: CustomerEraser, caller: Caller, customerId: string, correlationId: string, leads?: LeadPrivacyRepository): Promise<ErasureResult> {
  if (leads) {
    // The leads holding the customer's addresses (the one it was converted from among them) are the
    // same person's data: erased first, while the live profile still names the addresses, so a
    // request that dies later finds them again.
    const live = await eraser.get(caller.tenantId, customerId);
    authorizeErasure(caller, live, customerId);
    const held = uniqueValues(live);
    const values = (field: 'email' | 'phone') => held.filter((u) => u.field === field).map((u) => u.value);
    if (!live.erasedAt) await eraseLeadsOfCustomer(leads, caller, { id: live.id, emails: values('email'), phones: values('phone') }, correlationId);
  }
  await tombstoneProfile(eraser, caller, customerId, correlationId, (customer) => {
    authorizeErasure(caller, customer, customerId);
    return customer;
  });
  const result: ErasureResult = { customers: [], replaced: 0, deleted: 0 };
  const pending = [customerId];
  while (pending.length > 0) {
    const id = pending.shift()!;
    result.customers.push(id);
    await eraser.suppressEffects(caller.tenantId, id, clock.nowIso());
    const scrubbed = await eraser.scrubPartition(caller.tenantId, id);
    result.replaced += scrubbed.replaced;
    result.deleted += scrubbed.deleted;
    for (const source of scrubbed.mergedSources) {
      if (result.customers.includes(source) || pending.includes(source)) continue;
      if (result.customers.length + pending.length >= MAX_CUSTOMERS_PER_ERASURE) throw new Error(`More than ${MAX_CUSTOMERS_PER_ERASURE} customers merged into ${customerId}`);
      // Only a merged tombstone is erased this way: a merge entry never makes a live customer go.
      const merged = await tombstoneProfile(eraser, caller, source, correlationId, (c) => (c?.mergedInto ? c : undefined));
      if (merged) pending.push(source);
    }
  }
  return result;
}
