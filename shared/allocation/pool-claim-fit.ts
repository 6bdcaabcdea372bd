import { MAX_TRANSACTION_ITEMS } from '../aws/transact-write';
import { MAX_BOOK_ITEMS } from './book-move';

/**
 * How many customers of a bulk claim fit in its one transaction once their books move with them
 * (docs/allocation.md, "Bulk claims and the book"). The claim stays one transaction so the daily
 * and owned caps hold exactly; splitting it would let a second request slip between the parts.
 */

/** What one claimed customer costs in the transaction. */
export interface ClaimCost {
  customerId: string;
  /** Its own items: profile, history entry and events. */
  records: number;
  /** Its open deals and tasks that move with it (book-move.ts). */
  bookItems: number;
}

/** Why a chosen batch cannot be claimed in one request: the total, the limit and every customer carrying a book. */
export interface TooLargeBatch {
  items: number;
  limit: number;
  books: { customerId: string; bookItems: number }[];
}

const cost = (c: ClaimCost) => c.records + c.bookItems;

/** The transaction's items for these customers and the request's `counters`. */
export function batchItems(costs: readonly ClaimCost[], counters: number): number {
  return costs.reduce((sum, c) => sum + cost(c), counters);
}

/**
 * Chosen customers are all or none: either the whole batch fits, or the refusal names every
 * customer with a book to move (the ones to claim in a smaller request or singly).
 */
export function fitChosen(costs: readonly ClaimCost[], counters: number): { ok: true } | ({ ok: false } & TooLargeBatch) {
  const items = batchItems(costs, counters);
  if (items <= MAX_TRANSACTION_ITEMS) return { ok: true };
  return {
    ok: false,
    items,
    limit: MAX_TRANSACTION_ITEMS,
    books: costs.filter((c) => c.bookItems > 0).map(({ customerId, bookItems }) => ({ customerId, bookItems })),
  };
}

/**
 * By count, the longest-waiting customers in their order while they fit: the first that does not
 * ends the batch (fewer are claimed), so the next request starts with it and the waiting order
 * holds. A customer whose book no change of owner carries (more than MAX_BOOK_ITEMS) can never
 * be claimed and is passed over instead of blocking the pool.
 */
export function fitLongestWaiting(costs: readonly ClaimCost[], counters: number): { taken: string[]; passedOver: string[] } {
  let used = counters;
  const taken: string[] = [];
  const passedOver: string[] = [];
  for (const c of costs) {
    if (c.bookItems > MAX_BOOK_ITEMS) {
      passedOver.push(c.customerId);
      continue;
    }
    if (used + cost(c) > MAX_TRANSACTION_ITEMS) break;
    used += cost(c);
    taken.push(c.customerId);
  }
  return { taken, passedOver };
}
