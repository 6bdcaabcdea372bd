import { describe, expect, it } from 'vitest';
import { MAX_BOOK_ITEMS } from '../../../shared/allocation/book-move';
import { batchItems, type ClaimCost, fitChosen, fitLongestWaiting } from '../../../shared/allocation/pool-claim-fit';

const COUNTERS = 2;
const customer = (customerId: string, bookItems = 0): ClaimCost => ({ customerId, records: 3, bookItems });
const many = (n: number, bookItems = 0) => Array.from({ length: n }, (_, i) => customer(`C${i}`, bookItems));

describe('batchItems', () => {
  it('counts each customer with its book, and the counters once', () => {
    expect(batchItems([customer('A', 4), customer('B')], COUNTERS)).toBe(2 + 3 + 4 + 3);
  });
});

describe('fitChosen', () => {
  it('takes 30 customers without books (92 items) and a batch of exactly 100', () => {
    expect(fitChosen(many(30), COUNTERS)).toEqual({ ok: true });
    expect(fitChosen([...many(30), customer('B', 8)].slice(1), COUNTERS)).toEqual({ ok: true });
  });

  it('refuses one item more, naming every customer with a book and its size', () => {
    const costs = [...many(28), customer('A', 5), customer('B', 4)];
    expect(fitChosen(costs, COUNTERS)).toEqual({ ok: false, items: 101, limit: 100, books: [{ customerId: 'A', bookItems: 5 }, { customerId: 'B', bookItems: 4 }] });
  });
});

describe('fitLongestWaiting', () => {
  it('takes the customers in waiting order while they fit, and stops at the first that does not', () => {
    const costs = [customer('A', 40), customer('B', 40), customer('C', 1), customer('D')];
    // 2 + 43 + 43 = 88; C would make 92 and fits; D makes 95 and fits too.
    expect(fitLongestWaiting(costs, COUNTERS)).toEqual({ taken: ['A', 'B', 'C', 'D'], passedOver: [] });
    const tight = [customer('A', 50), customer('B', 50), customer('C')];
    // B would reach 2 + 53 + 53 = 108: the batch ends at A, and C waits behind B.
    expect(fitLongestWaiting(tight, COUNTERS)).toEqual({ taken: ['A'], passedOver: [] });
  });

  it('passes over a customer whose book no change of owner carries, so it does not block the pool', () => {
    const costs = [customer('Huge', MAX_BOOK_ITEMS + 1), customer('A', 20), customer('B', MAX_BOOK_ITEMS)];
    expect(fitLongestWaiting(costs, COUNTERS)).toEqual({ taken: ['A'], passedOver: ['Huge'] });
    expect(fitLongestWaiting([customer('B', MAX_BOOK_ITEMS)], COUNTERS)).toEqual({ taken: ['B'], passedOver: [] });
  });
});
