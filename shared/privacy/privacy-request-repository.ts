import { newestFirstPage } from '../aws/newest-first-page';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchWriteAll } from '../aws/batch-items';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { addressHash } from '../consent/suppression-key';
import { SuppressionRepository } from '../consent/suppression-repository';
import { keys, withoutStorageAttributes } from '../keys';
import { searchEntryKeys } from '../search/search-indexer-use-case';
import { phoneTokens } from '../search/search-tokens';
import { addressesHeldBy } from './customer-erasure';
import type { PrivacyRequest } from './privacy-request';

type Item = Record<string, unknown>;

export interface Address {
  email?: string;
  phone?: string;
}

/** What the guards and the suppression list say about an address: one BatchGetItem. */
export interface Holders {
  customerIds: string[];
  leadIds: string[];
  suppression: Item | undefined;
}

/**
 * Storage of privacy requests by person (docs/privacy.md, "Requests by address"). Every lookup is
 * by key: the guards and the suppression entry in one BatchGetItem, the contacts through the
 * search index (one Query per address), so the cost depends on what is found, never on the
 * tenant's size.
 */
export class PrivacyRequestRepository {
  /** Entries of erased addresses keep suppressing by their hash (SuppressionRepository.forgetHash). */
  readonly suppressionList: SuppressionRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.suppressionList = new SuppressionRepository(db, tableName);
  }

  /** The customer and lead guards of the address, and its suppression entry. Strongly consistent reads are not needed: guards are written with their records. */
  async holders(tenantId: string, address: Address): Promise<Holders> {
    const guardKeys = [
      ...(address.email ? [keys.uniqueGuard(tenantId, 'email', address.email), keys.leadGuard(tenantId, 'email', address.email), keys.suppression(tenantId, addressHash(address.email))] : []),
      ...(address.phone ? [keys.uniqueGuard(tenantId, 'phone', address.phone), keys.leadGuard(tenantId, 'phone', address.phone)] : []),
    ];
    // Consistent: a guard committed a moment ago (a customer just created) must be found.
    const items = await batchGetAll(this.db, this.tableName, guardKeys, { consistent: true });
    const ids = (attribute: string) => [...new Set(items.map((i) => i[attribute]).filter((v): v is string => typeof v === 'string'))];
    const suppressionKey = address.email ? keys.suppression(tenantId, addressHash(address.email)) : undefined;
    const suppression = suppressionKey && items.find((i) => i.PK === suppressionKey.PK && i.SK === suppressionKey.SK);
    return { customerIds: ids('customerId'), leadIds: ids('leadId'), suppression };
  }

  /**
   * Contacts the search index names for the address: contacts have no guard (a person may be a
   * contact at several companies). The index is written from the table stream, so it trails the
   * table by about a second (docs/search.md, "Eventual consistency").
   */
  async contactsIndexedUnder(tenantId: string, address: Address): Promise<{ customerId: string; id: string }[]> {
    const tokens = [...(address.email ? [{ token: address.email, matched: 'email' }] : []), ...(address.phone ? phoneTokens(address.phone).slice(0, 1).map((token) => ({ token, matched: 'phone' })) : [])];
    const found = new Map<string, { customerId: string; id: string }>();
    for (const { token, matched } of tokens) {
      let startKey: Item | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            // The token is followed by `#`: an exact match, not a prefix of a longer address.
            ExpressionAttributeValues: { ':pk': keys.searchShard(tenantId, token), ':prefix': `${token}#${matched}#contact#` },
            ProjectionExpression: 'id, customerId',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const entry of page.Items ?? []) if (typeof entry.customerId === 'string' && typeof entry.id === 'string') found.set(`${entry.customerId}#${entry.id}`, { customerId: entry.customerId, id: entry.id });
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return [...found.values()];
  }

  /** The contacts themselves, read by key (one BatchGetItem per 100), to check they still hold the address. */
  async contacts(tenantId: string, refs: readonly { customerId: string; id: string }[]): Promise<Item[]> {
    if (refs.length === 0) return [];
    return batchGetAll(this.db, this.tableName, refs.map((r) => keys.contact(tenantId, r.customerId, r.id)), { consistent: true });
  }

  /**
   * Stores a new request. An erasure also takes a lock per address (attribute_not_exists), so a
   * second erasure of the same person started meanwhile fails here: 'busy' names the request
   * holding the lock.
   */
  async create(request: PrivacyRequest, lockHashes: readonly string[]): Promise<{ created: true } | { created: false; openRequestId: string | undefined }> {
    const put = { TableName: this.tableName, Item: { ...keys.privacyRequest(request.tenantId, request.id), entity: 'PrivacyRequest', ...request }, ConditionExpression: 'attribute_not_exists(PK)' };
    if (lockHashes.length === 0) {
      await this.db.send(new PutCommand(put));
      return { created: true };
    }
    const items: NamedItem[] = [
      { name: 'request', put },
      ...lockHashes.map((hash, i): NamedItem => ({
        name: `lock-${i}`,
        put: { TableName: this.tableName, Item: { ...keys.privacyRequestLock(request.tenantId, hash), entity: 'PrivacyRequestLock', requestId: request.id }, ConditionExpression: 'attribute_not_exists(PK)' },
      })),
    ];
    try {
      await transactWrite(this.db, items);
      return { created: true };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      const failed = lockHashes.findIndex((_, i) => error.failed(`lock-${i}`));
      if (failed < 0) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.privacyRequestLock(request.tenantId, lockHashes[failed]!), ConsistentRead: true }));
      return { created: false, openRequestId: typeof Item?.requestId === 'string' ? Item.requestId : undefined };
    }
  }

  async get(tenantId: string, requestId: string): Promise<PrivacyRequest | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.privacyRequest(tenantId, requestId), ConsistentRead: true }));
    return Item ? (withoutStorageAttributes(Item) as unknown as PrivacyRequest) : undefined;
  }

  async list(tenantId: string, limit: number, cursor: string | undefined): Promise<{ items: PrivacyRequest[]; cursor: string | null }> {
    const page = await newestFirstPage(this.db, this.tableName, keys.privacyRequests(tenantId), limit, cursor);
    return { items: page.items.map((i) => withoutStorageAttributes(i) as unknown as PrivacyRequest), cursor: page.cursor };
  }

  /** One step done: a re-run skips it. list_append of a step done twice (a race of two re-runs) only repeats a key. */
  async markDone(tenantId: string, requestId: string, step: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.privacyRequest(tenantId, requestId),
        UpdateExpression: 'SET done = list_append(done, :step)',
        ExpressionAttributeValues: { ':step': [step] },
      }),
    );
  }

  /** The request is done: its locks (and with them the address's hash) go. */
  async complete(request: PrivacyRequest, completedAt: string, lockHashes: readonly string[]): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.privacyRequest(request.tenantId, request.id),
        UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':at': completedAt },
      }),
    );
    for (const hash of lockHashes) {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.privacyRequestLock(request.tenantId, hash), ConditionExpression: 'attribute_not_exists(PK) OR requestId = :id', ExpressionAttributeValues: { ':id': request.id } }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
  }

  /** The locks this request holds, found without its address: the lock names its request. */
  async locksOf(tenantId: string, requestId: string): Promise<string[]> {
    const { PK, skPrefix } = keys.privacyRequestLocks(tenantId);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :open)',
        FilterExpression: 'requestId = :id',
        ExpressionAttributeValues: { ':pk': PK, ':open': skPrefix, ':id': requestId },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => String(i.SK).slice(skPrefix.length));
  }

  /**
   * Erases one contact as customer erasure does (customer-erasure-repository.ts): the suppression
   * entries of its addresses keep only their hash, its search entries and its frequency cap item
   * (which campaigns mailed it, when) go, then the contact. The cap item rides in the search
   * entries' batch: no request more. Idempotent: a contact already gone is done.
   */
  async eraseContact(tenantId: string, ref: { customerId: string; id: string }): Promise<void> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contact(tenantId, ref.customerId, ref.id), ConsistentRead: true }));
    if (!Item) return;
    for (const address of addressesHeldBy(Item)) await this.suppressionList.forgetAddress(tenantId, address);
    const traces = [...searchEntryKeys(tenantId, ref.customerId, Item), keys.contactMarketingFrequency(tenantId, ref.customerId, ref.id)];
    await batchWriteAll(this.db, this.tableName, traces.map((Key) => ({ DeleteRequest: { Key } })));
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.contact(tenantId, ref.customerId, ref.id) }));
  }
}
