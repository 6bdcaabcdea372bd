import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { eachWithConcurrency } from '../concurrency';
import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import { toCustomer } from '../customers/customer-repository';
import { keys, withoutStorageAttributes } from '../keys';
import type { Lead } from '../leads/lead';
import { decodeIndexCursor } from '../pagination';
import type { Segment } from './segment';
import type { SegmentPlan } from './segment-definition';

const SEGMENT_ATTRIBUTES = [
  'id', 'tenantId', 'name', 'description', 'audience', 'definition', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof Segment)[];

/** A segment stored before audiences existed selects customers. */
const toSegment = (item: Record<string, unknown>) => ({ ...Object.fromEntries(SEGMENT_ATTRIBUTES.map((a) => [a, item[a] ?? null])), audience: item.audience ?? 'customers' }) as unknown as Segment;

/** A tenant's segments in one partition (`T#<t>#SEGMENTS`, `SEG#<id>`). */
export class SegmentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(segment: Segment): Promise<void> {
    const item = { ...keys.segment(segment.tenantId, segment.id), entity: 'Segment', ...segment };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async get(tenantId: string, segmentId: string): Promise<Segment | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.segment(tenantId, segmentId) }));
    return result.Item ? toSegment(result.Item) : undefined;
  }

  async list(tenantId: string): Promise<Segment[]> {
    const { PK, skPrefix } = keys.segments(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map(toSegment);
  }
}

/** Where a paged evaluation stands: the plan's partition and the last key read in it. */
export interface SegmentCursor {
  partition: number;
  key?: Record<string, string>;
}

export interface CustomerBatch {
  /** The plan's members: customers (the companies, for a contacts plan), or leads for a leads plan (the other list is empty). */
  customers: Customer[];
  leads: Lead[];
  /** Index items read (DynamoDB's ScannedCount): what the read cost. */
  scanned: number;
  /** Where to go on; null when every partition of the plan has been read. */
  next: SegmentCursor | null;
}

/** Company partitions read at once: a page of 500 companies is 500 small Queries, kept from bursting. */
const CONTACT_READS_IN_FLIGHT = 8;

/** Reads a segment plan's index partitions one Query at a time, newest update first. */
export class SegmentCustomerReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(plan: SegmentPlan, at: SegmentCursor, limit: number): Promise<CustomerBatch> {
    const { index } = plan;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': plan.partitions[at.partition] },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: at.key,
      }),
    );
    const key = result.LastEvaluatedKey as Record<string, string> | undefined;
    const next = key ? { partition: at.partition, key } : at.partition + 1 < plan.partitions.length ? { partition: at.partition + 1 } : null;
    const items = result.Items ?? [];
    const members = plan.members === 'leads' ? { customers: [], leads: items.map((item) => withoutStorageAttributes(item) as unknown as Lead) } : { customers: items.map(toCustomer), leads: [] };
    return { ...members, scanned: result.ScannedCount ?? 0, next };
  }

  /** The contacts of a contacts segment's companies, one Query of each company's partition (no Scan), in their order; `scanned`: contact items read. */
  async contactsOf(tenantId: string, customerIds: readonly string[]): Promise<{ contacts: Contact[]; scanned: number }> {
    const lists: Contact[][] = [];
    await eachWithConcurrency(customerIds, CONTACT_READS_IN_FLIGHT, async (customerId, i) => {
      const { PK, SK } = keys.contact(tenantId, customerId, '');
      const items = await queryAllPages(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': PK, ':prefix': SK } });
      lists[i] = items.map((item) => withoutStorageAttributes(item) as unknown as Contact);
    });
    const contacts = lists.flat();
    return { contacts, scanned: contacts.length };
  }
}

/** Cursors are opaque to clients: base64url JSON, accepted only for the same plan and the caller's tenant. */
export function encodeSegmentCursor(cursor: SegmentCursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify(cursor)).toString('base64url') : null;
}

export function decodeSegmentCursor(cursor: string | undefined, plan: SegmentPlan, tenantId: string): SegmentCursor {
  if (cursor === undefined) return { partition: 0 };
  let parsed: { partition?: unknown; key?: unknown } = {};
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    // the checks below reject it
  }
  const partition = typeof parsed.partition === 'number' && Number.isInteger(parsed.partition) ? parsed.partition : -1;
  const partitionPrefix = plan.members === 'leads' ? keys.leadPartition(tenantId, '') : keys.customerPartition(tenantId, '');
  const isProfile = (k: { PK: string; SK: string }) => k.PK.startsWith(partitionPrefix) && k.SK === 'PROFILE';
  const inner = parsed.key === undefined ? undefined : Buffer.from(JSON.stringify(parsed.key)).toString('base64url');
  // decodeIndexCursor answers 400 `query.cursor` for anything this plan did not hand out.
  const key = decodeIndexCursor(partition >= 0 && partition < plan.partitions.length ? inner : 'x', plan.index, plan.partitions[partition] ?? '', isProfile);
  return key ? { partition, key } : { partition };
}
