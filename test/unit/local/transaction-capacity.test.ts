import { describe, expect, it } from 'vitest';
import { itemSize, type TableShape, transactionCapacity, transactItemCapacity } from '../../../local/transaction-capacity';

const shape: TableShape = { keys: ['PK', 'SK'], indexes: { gsi1: ['GSI1PK', 'GSI1SK'] } };
const item = (extra: Record<string, { S: string }> = {}) => ({ PK: { S: 'p' }, SK: { S: 's' }, ...extra });
const padded = (bytes: number) => ({ pad: { S: 'x'.repeat(bytes) } });

describe('itemSize', () => {
  it("counts each attribute's name and value the way DynamoDB does", () => {
    expect(itemSize({ PK: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ b: { BOOL: true }, z: { NULL: true } })).toBe(4);
    expect(itemSize({ m: { M: { k: { S: 'vv' } } } })).toBe(1 + 3 + 1 + 1 + 2);
    expect(itemSize({ l: { L: [{ S: 'a' }, { S: 'b' }] } })).toBe(1 + 3 + 2 + 2);
  });
});

describe('transactItemCapacity', () => {
  it('charges a transactional write 2 units per started KB of the larger image', () => {
    expect(transactItemCapacity(shape, undefined, item()).total).toBe(2);
    expect(transactItemCapacity(shape, item(padded(3000)), item()).total).toBe(6);
    expect(transactItemCapacity(shape, undefined, item(), 1).total).toBe(1);
  });

  it('adds the index entry written, and a delete and a put when the index key changes', () => {
    const indexed = (pk: string, more = {}) => item({ GSI1PK: { S: pk }, GSI1SK: { S: 'k' }, ...more });
    expect(transactItemCapacity(shape, undefined, indexed('a'))).toEqual({ table: 2, indexes: { gsi1: 2 }, total: 4 });
    expect(transactItemCapacity(shape, indexed('a'), indexed('a', { v: { S: '2' } }))).toEqual({ table: 2, indexes: { gsi1: 2 }, total: 4 });
    expect(transactItemCapacity(shape, indexed('a'), indexed('b'))).toEqual({ table: 2, indexes: { gsi1: 4 }, total: 6 });
    expect(transactItemCapacity(shape, indexed('a'), item())).toEqual({ table: 2, indexes: { gsi1: 2 }, total: 4 });
  });
});

describe('transactionCapacity', () => {
  it('sums every item, also items in the same partition (which DynamoDB Local reports as one)', () => {
    const puts = Array.from({ length: 10 }, (_, i) => [shape, undefined, item({ SK: { S: `DEAL#${i}` } })] as const);
    expect(transactionCapacity(puts).total).toBe(20);
    expect(transactionCapacity(puts, false).total).toBe(10);
  });
});
