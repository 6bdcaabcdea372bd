/**
 * Write units of a TransactWriteItems or BatchWriteItem, computed from the items before and after.
 *
 * Why: DynamoDB Local reports the ConsumedCapacity of a transaction per partition, not per item
 * (measured: ten 1 KB Puts to one partition report 2 units, to ten partitions 20), and our
 * transactions write the profile, its history, its outbox event and its deals and tasks all in
 * the customer's partition. So the request counter computes them the way DynamoDB bills them (and
 * DynamoDB Local reports them for items in distinct partitions): per started KB of each item, the
 * larger of its size before and after, 1 unit (2 in a transaction); the same for every global
 * secondary index entry written, and an index entry whose key changes is a delete and a put.
 */

/** An item in DynamoDB's JSON wire format. */
export type WireItem = Record<string, WireValue>;
export type WireValue = {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  L?: WireValue[];
  M?: WireItem;
};

export interface TableShape {
  /** Key attribute names of the table. */
  keys: string[];
  /** Each global secondary index's key attribute names (all projected: the app's indexes are ALL). */
  indexes: Record<string, string[]>;
}

export interface TransactionCapacity {
  table: number;
  indexes: Record<string, number>;
  total: number;
}

const KB = 1024;
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
/** DynamoDB's number size: about one byte per two significant digits, plus one. */
const numberSize = (n: string) => Math.ceil(n.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
const binarySize = (b: string) => Buffer.from(b, 'base64').length;

/** The item's size as DynamoDB counts it: each attribute's name and value (docs: "Item sizes and formats"). */
export function itemSize(item: WireItem | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

function valueSize(value: WireValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return binarySize(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((s, v) => s + utf8(v), 0);
  if (value.NS) return value.NS.reduce((s, v) => s + numberSize(v), 0);
  if (value.BS) return value.BS.reduce((s, v) => s + binarySize(v), 0);
  // Lists and maps: 3 bytes of overhead and 1 byte per element, plus the elements.
  if (value.L) return 3 + value.L.reduce((s, v) => s + 1 + valueSize(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((s, [k, v]) => s + 1 + utf8(k) + valueSize(v), 0);
  return 0;
}

const units = (size: number) => Math.max(1, Math.ceil(size / KB));
const keyOf = (item: WireItem | undefined, names: string[]) => (item && names.every((n) => item[n] !== undefined) ? JSON.stringify(names.map((n) => item[n])) : undefined);

/**
 * One written item's units: the table write (`perKb` per started KB: 2 in a transaction) and each
 * index entry it writes or removes. Condition checks write nothing and are not passed here.
 */
export function transactItemCapacity(shape: TableShape, before: WireItem | undefined, after: WireItem | undefined, perKb = 2): TransactionCapacity {
  const table = perKb * units(Math.max(itemSize(before), itemSize(after)));
  const indexes: Record<string, number> = {};
  for (const [name, keys] of Object.entries(shape.indexes)) {
    const was = keyOf(before, keys);
    const is = keyOf(after, keys);
    let written = 0;
    if (was !== undefined && is !== undefined && was === is) {
      // Unchanged key: one entry rewritten, unless nothing of the item changed.
      if (JSON.stringify(before) !== JSON.stringify(after)) written = perKb * units(Math.max(itemSize(before), itemSize(after)));
    } else {
      if (was !== undefined) written += perKb * units(itemSize(before));
      if (is !== undefined) written += perKb * units(itemSize(after));
    }
    if (written > 0) indexes[name] = written;
  }
  return { table, indexes, total: table + Object.values(indexes).reduce((s, n) => s + n, 0) };
}

/** The sum over a write's items, each as `[shape, before, after]`: a transaction's (2 units per KB) or a batch's (1). */
export function transactionCapacity(items: readonly (readonly [TableShape, WireItem | undefined, WireItem | undefined])[], transactional = true): TransactionCapacity {
  const sum: TransactionCapacity = { table: 0, indexes: {}, total: 0 };
  for (const [shape, before, after] of items) {
    const one = transactItemCapacity(shape, before, after, transactional ? 2 : 1);
    sum.table += one.table;
    sum.total += one.total;
    for (const [name, n] of Object.entries(one.indexes)) sum.indexes[name] = (sum.indexes[name] ?? 0) + n;
  }
  return sum;
}
