import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TableShape, transactionCapacity, type WireItem } from './transaction-capacity';

/** Operations that can report ConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
]);

export interface OperationCount {
  requests: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

/** Write units by kind of item (its `entity`, else the first segment of its sort key), and how many were written. */
export interface KindCount {
  items: number;
  writeCapacityUnits: number;
}

/** One item a multi-item write touches: where, and what it becomes (a Put's item; undefined for a delete; read after for updates). */
interface TouchedItem {
  table: string;
  key: WireItem;
  action: 'put' | 'update' | 'delete' | 'check';
  put?: WireItem;
}

/** Multi-item writes whose capacity DynamoDB Local under-reports (transaction-capacity.ts): computed here. */
const COMPUTED_WRITES = new Set(['TransactWriteItems', 'BatchWriteItem']);

/**
 * A transparent proxy in front of DynamoDB Local that counts the handlers' requests per operation
 * and sums the capacity DynamoDB Local reports for them (it asks for ReturnConsumedCapacity TOTAL
 * on every request that supports it). Opt-in (`npm start -- --count-requests`), for tests and
 * benchmarks that must count requests rather than estimate them. TransactWriteItems and
 * BatchWriteItem are the exception: DynamoDB Local reports their capacity per partition, not per
 * item, so the proxy reads the touched items before and after (straight from DynamoDB Local,
 * uncounted) and computes their write units itself (transaction-capacity.ts). Write units are
 * also tallied by kind of item, for benchmarks that say where the units go.
 */
export class DynamoDbRequestCounter {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly counts: Map<string, OperationCount>,
    private readonly kinds: Map<string, KindCount>,
  ) {}

  static async start(target: string): Promise<DynamoDbRequestCounter> {
    const upstream = new URL(target);
    const counts = new Map<string, OperationCount>();
    const kinds = new Map<string, KindCount>();
    const shapes = new Map<string, Promise<TableShape>>();
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? 'Unknown';
      let body = Buffer.concat(chunks);
      let input: Record<string, unknown> = {};
      if (CAPACITY_OPERATIONS.has(operation)) {
        input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        body = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      }
      try {
        // The side reads go to DynamoDB Local as the caller (same credentials and region: the same database), uncounted.
        const direct = (op: string, payload: unknown) => send(upstream, req.headers, op, payload);
        const computed = COMPUTED_WRITES.has(operation) ? await ItemImages.before(direct, shapes, touchedItems(operation, input), operation === 'TransactWriteItems') : undefined;
        const answer = await forward(upstream, req.method ?? 'POST', req.url ?? '/', req.headers, body);
        const tally = computed && answer.status === 200 ? await computed.after() : undefined;
        record(counts, operation, answer.payload, tally?.total);
        if (tally) for (const [kind, n] of tally.kinds) addKind(kinds, kind, n);
        else if (answer.status === 200) recordSingleKind(kinds, operation, input, answer.payload);
        res.writeHead(answer.status, answer.headers).end(answer.payload);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new DynamoDbRequestCounter(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts, kinds);
  }

  snapshot(): Record<string, OperationCount> {
    return Object.fromEntries(this.counts);
  }

  /** Write units by kind of item written, since the last reset. */
  kindSnapshot(): Record<string, KindCount> {
    return Object.fromEntries(this.kinds);
  }

  reset(): void {
    this.counts.clear();
    this.kinds.clear();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

}

/** Counts one request and the capacity DynamoDB Local reported for it, or the units computed here. */
function record(counts: Map<string, OperationCount>, operation: string, responseBody: Buffer, computedWriteUnits?: number): void {
  const count = counts.get(operation) ?? { requests: 0, readCapacityUnits: 0, writeCapacityUnits: 0 };
  count.requests += 1;
  if (computedWriteUnits !== undefined) {
    count.writeCapacityUnits += computedWriteUnits;
    counts.set(operation, count);
    return;
  }
  for (const c of consumedCapacity(responseBody)) {
    // TOTAL gives CapacityUnits; reads and writes are told apart by the operation.
    const units = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
    if (/^(Get|Query|Scan|BatchGet|TransactGet)/.test(operation)) count.readCapacityUnits += units;
    else count.writeCapacityUnits += units;
  }
  counts.set(operation, count);
}

function consumedCapacity(responseBody: Buffer): Capacity[] {
  try {
    const parsed = JSON.parse(responseBody.toString('utf8') || '{}') as { ConsumedCapacity?: Capacity[] | Capacity };
    return Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : parsed.ConsumedCapacity ? [parsed.ConsumedCapacity] : [];
  } catch {
    // an error body without capacity: the request still counts
    return [];
  }
}

function addKind(kinds: Map<string, KindCount>, kind: string, units: number): void {
  const count = kinds.get(kind) ?? { items: 0, writeCapacityUnits: 0 };
  count.items += 1;
  count.writeCapacityUnits += units;
  kinds.set(kind, count);
}

/** The kind of an item: its `entity` attribute when it has one, else its sort key up to the first `#`. */
export function kindOf(key: WireItem, item?: WireItem): string {
  const entity = item?.entity?.S;
  if (entity) return entity;
  const sk = key.SK?.S ?? Object.values(key)[1]?.S ?? '';
  return sk.split('#')[0] || 'item';
}

/** PutItem, UpdateItem, DeleteItem: one item, whose units DynamoDB Local reports right. */
function recordSingleKind(kinds: Map<string, KindCount>, operation: string, input: Record<string, unknown>, payload: Buffer): void {
  if (!['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation)) return;
  const item = input.Item as WireItem | undefined;
  const key = (input.Key as WireItem | undefined) ?? item ?? {};
  addKind(kinds, kindOf(key, item), consumedCapacity(payload).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0));
}

/** The items a TransactWriteItems or BatchWriteItem touches, in order. */
function touchedItems(operation: string, input: Record<string, unknown>): TouchedItem[] {
  type Target = { TableName: string; Key?: WireItem; Item?: WireItem };
  if (operation === 'TransactWriteItems') {
    return ((input.TransactItems ?? []) as Record<string, Target>[]).map((entry) => {
      const [action, target] = Object.entries(entry)[0]!;
      const kind = ({ Put: 'put', Update: 'update', Delete: 'delete', ConditionCheck: 'check' } as const)[action as 'Put'] ?? 'check';
      return { table: target.TableName, key: target.Key ?? target.Item!, action: kind, ...(target.Item ? { put: target.Item } : {}) };
    });
  }
  return Object.entries((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }[]>).flatMap(([table, requests]) =>
    requests.map((r): TouchedItem => (r.PutRequest ? { table, key: r.PutRequest.Item, action: 'put', put: r.PutRequest.Item } : { table, key: r.DeleteRequest!.Key, action: 'delete' })),
  );
}

type Direct = (operation: string, payload: unknown) => Promise<{ status: number; payload: Buffer }>;

/** The touched items as they are before a write and, once it succeeded, after it: their write units and kinds. */
class ItemImages {
  private constructor(
    private readonly direct: Direct,
    private readonly items: (TouchedItem & { shape: TableShape; keyOnly: WireItem })[],
    private readonly before: (WireItem | undefined)[],
    private readonly transactional: boolean,
  ) {}

  static async before(direct: Direct, shapes: Map<string, Promise<TableShape>>, touched: TouchedItem[], transactional: boolean): Promise<ItemImages> {
    const items = await Promise.all(
      touched.map(async (item) => {
        const shape = await tableShape(direct, shapes, item.table);
        return { ...item, shape, keyOnly: Object.fromEntries(shape.keys.map((k) => [k, item.key[k]!])) };
      }),
    );
    return new ItemImages(direct, items, await readItems(direct, items), transactional);
  }

  async after(): Promise<{ total: number; kinds: [string, number][] }> {
    const updated = this.items.map((item, i) => ({ item, i })).filter(({ item }) => item.action === 'update');
    const reread = await readItems(this.direct, updated.map(({ item }) => item));
    const after = this.items.map((item, i) => (item.action === 'put' ? item.put : item.action === 'delete' ? undefined : item.action === 'check' ? this.before[i] : undefined));
    updated.forEach(({ i }, n) => (after[i] = reread[n]));
    const kinds: [string, number][] = [];
    let total = 0;
    this.items.forEach((item, i) => {
      // A condition check writes nothing: DynamoDB Local charges it no write unit (a transactional read).
      if (item.action === 'check') return;
      const units = transactionCapacity([[item.shape, this.before[i], after[i]]], this.transactional).total;
      total += units;
      kinds.push([kindOf(item.keyOnly, after[i] ?? this.before[i]), units]);
    });
    return { total, kinds };
  }
}

/** Consistent BatchGetItem of the items' keys (100 at a time), in their order; undefined where none is stored. */
async function readItems(direct: Direct, items: { table: string; keyOnly: WireItem }[]): Promise<(WireItem | undefined)[]> {
  const found = new Map<string, WireItem>();
  const id = (table: string, key: WireItem) => `${table}|${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
  for (let start = 0; start < items.length; start += 100) {
    let request: Record<string, { Keys: WireItem[]; ConsistentRead: boolean }> = {};
    for (const { table, keyOnly } of items.slice(start, start + 100)) (request[table] ??= { Keys: [], ConsistentRead: true }).Keys.push(keyOnly);
    while (Object.keys(request).length > 0) {
      const answer = await direct('BatchGetItem', { RequestItems: request });
      const parsed = JSON.parse(answer.payload.toString('utf8')) as { Responses?: Record<string, WireItem[]>; UnprocessedKeys?: typeof request };
      if (answer.status !== 200) throw new Error(`BatchGetItem for the capacity count: ${answer.payload.toString('utf8').slice(0, 200)}`);
      for (const [table, rows] of Object.entries(parsed.Responses ?? {})) {
        const shapeKeys = items.find((i) => i.table === table)!.keyOnly;
        for (const row of rows) found.set(id(table, Object.fromEntries(Object.keys(shapeKeys).map((k) => [k, row[k]!]))), row);
      }
      request = parsed.UnprocessedKeys ?? {};
    }
  }
  return items.map(({ table, keyOnly }) => found.get(id(table, keyOnly)));
}

/** The table's key and index key attributes (DescribeTable once per table). */
function tableShape(direct: Direct, shapes: Map<string, Promise<TableShape>>, table: string): Promise<TableShape> {
  let shape = shapes.get(table);
  if (!shape) {
    shape = direct('DescribeTable', { TableName: table }).then(({ payload }) => {
      type KeySchema = { AttributeName: string }[];
      const { Table } = JSON.parse(payload.toString('utf8')) as { Table: { KeySchema: KeySchema; GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchema }[] } };
      return {
        keys: Table.KeySchema.map((k) => k.AttributeName),
        indexes: Object.fromEntries((Table.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.KeySchema.map((k) => k.AttributeName)])),
      };
    });
    shape.catch(() => shapes.delete(table));
    shapes.set(table, shape);
  }
  return shape;
}

type Headers = Record<string, string | string[] | undefined>;

function forward(upstream: URL, method: string, path: string, headers: Headers, body: Buffer): Promise<{ status: number; headers: Headers; payload: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, async (upstreamRes) => {
      const out: Buffer[] = [];
      for await (const chunk of upstreamRes) out.push(chunk as Buffer);
      resolve({ status: upstreamRes.statusCode ?? 502, headers: upstreamRes.headers, payload: Buffer.concat(out) });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A request of our own to DynamoDB Local with the caller's headers (its credentials pick the database). */
function send(upstream: URL, headers: Headers, operation: string, payload: unknown) {
  const body = Buffer.from(JSON.stringify(payload));
  return forward(upstream, 'POST', '/', { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0' }, body);
}
