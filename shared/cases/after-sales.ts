import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { languageTag } from '../agents/agent';
import { text } from '../customers/fields';
import { Conflict, type FieldError, ValidationFailed } from '../errors';
import { ULID_PATTERN } from '../id-formats';
import { canWorkOnOrder, type Order } from '../orders/order';
import { formatQuantity, parseQuantity, quantity, quantityError } from '../quotes/money';
import { CASE_CHANNELS, CASE_PRIORITIES, CASE_TEXT_MAX, type OrderCaseLine, worksCases } from './case';

/**
 * After-sales consultation (docs/processes.md, "After-sales"): a question, complaint or return
 * about an order, worked as a service case linked to the order. Pure: the input, the category a
 * kind routes by, who may open and read an order's cases, the link's rule and a return's lines.
 */

export const AFTER_SALES_KINDS = ['question', 'complaint', 'return'] as const;
export type AfterSalesKind = (typeof AFTER_SALES_KINDS)[number];

/**
 * The case category of a kind: `after-sales-question`, `after-sales-complaint`, `after-sales-return`.
 * Plain case categories, so agents' skills (`skills.categories`) and SLA policies' categories
 * target them like any other; the common prefix lets a report take all three together.
 */
export const AFTER_SALES_CATEGORY_PREFIX = 'after-sales-';
export const afterSalesCategory = (kind: AfterSalesKind) => `${AFTER_SALES_CATEGORY_PREFIX}${kind}`;

/** Lines a request may name: more than an order holds is never needed. */
export const MAX_CASE_LINES = 100;

const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));

/** POST /orders/{id}/cases. The customer is the order's; routing assigns it (no `assigneeId` here). */
export const orderCaseInput = z.strictObject({
  kind: z.enum(AFTER_SALES_KINDS),
  subject: text(300),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(CASE_TEXT_MAX)),
  priority: z._default(z.enum(CASE_PRIORITIES), 'normal'),
  channel: z._default(z.enum(CASE_CHANNELS), 'api'),
  /** A contact of the order's customer who asked. */
  contactId: z.optional(recordId),
  language: z.optional(languageTag),
  /**
   * The order lines it is about, by position in the order (0-based: one product may be on two lines
   * at two prices, so a SKU would not always name one line) and, for a return, how much goes back
   * (default: the whole line). A return needs at least one; a question or complaint may name some.
   */
  lines: z.optional(
    z.array(z.strictObject({ index: z.int().check(z.minimum(0)), quantity: z.optional(quantity) })).check(z.minLength(1), z.maxLength(MAX_CASE_LINES)),
  ),
});
export type OrderCaseInput = z.output<typeof orderCaseInput>;

/** Who opens and reads an order's cases: whoever works on the order (its owner, managers, admins) and service agents. */
export const mayWorkOnOrderCases = (caller: Caller, order: Pick<Order, 'ownerId'>) => canWorkOnOrder(caller, order) || worksCases(caller);

/**
 * The customer a case linked to `order` is for: the order's. A `customerId` that names someone else
 * is a 400 naming `orderId` (the order is what does not fit), as is an order that does not exist.
 */
export function linkedCustomerId(order: Pick<Order, 'customerId'> | undefined, customerId: string | undefined): string {
  if (!order) throw new ValidationFailed([{ path: 'orderId', message: 'No such order (see GET /orders/{id})' }]);
  if (customerId !== undefined && customerId !== order.customerId) throw new ValidationFailed([{ path: 'orderId', message: "Not an order of this case's customer" }]);
  return order.customerId;
}

/** A return of goods that never left: the order's state, not the input, is what is wrong. */
export class NothingToReturn extends Conflict {
  override readonly slug = 'order-not-dispatched';
  constructor(order: Pick<Order, 'number' | 'status'>) {
    super(`Order ${order.number} was never dispatched: there is nothing to return (a question or a complaint can still be opened)`);
    this.extensions.currentStatus = order.status;
  }
}

/**
 * The lines a request is about, checked against the order. Questions and complaints take any order
 * (a cancelled one too: cancelling is often what the complaint is about); a return needs goods that
 * went out (`dispatchedAt`, which a later cancellation keeps) and at least one line. Every bad line
 * is named in one 400: `lines.<i>.index` (no such line, or named twice), `lines.<i>.quantity` (more
 * than the line holds).
 */
export function orderCaseLines(order: Pick<Order, 'number' | 'status' | 'dispatchedAt' | 'lines'>, kind: AfterSalesKind, lines: OrderCaseInput['lines']): OrderCaseLine[] {
  if (kind === 'return' && order.dispatchedAt === null) throw new NothingToReturn(order);
  if (!lines) {
    if (kind === 'return') throw new ValidationFailed([{ path: 'lines', message: 'Name the order lines that go back (`[{index, quantity?}]`, index 0 is the first line)' }]);
    return [];
  }
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  const picked: OrderCaseLine[] = [];
  for (const [i, asked] of lines.entries()) {
    const problem = lineProblem(order, asked, seen, i);
    if (problem) {
      errors.push(problem);
      continue;
    }
    const line = order.lines[asked.index]!;
    seen.add(asked.index);
    picked.push({ index: asked.index, productId: line.productId, sku: line.sku, name: line.name, quantity: asked.quantity === undefined ? line.quantity : parseQuantity(asked.quantity) });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return picked.sort((a, b) => a.index - b.index);
}

type AskedLine = NonNullable<OrderCaseInput['lines']>[number];

/** Why one asked line does not fit the order, if it does not. */
function lineProblem(order: Pick<Order, 'number' | 'lines'>, asked: AskedLine, seen: ReadonlySet<number>, i: number): FieldError | undefined {
  const line = order.lines[asked.index];
  const count = order.lines.length;
  if (!line) return { path: `lines.${i}.index`, message: `Order ${order.number} has ${count} line${count === 1 ? '' : 's'} (index 0 to ${count - 1})` };
  if (seen.has(asked.index)) return { path: `lines.${i}.index`, message: 'This line is named twice' };
  if (asked.quantity === undefined) return undefined;
  const invalid = quantityError(asked.quantity);
  if (invalid) return { path: `lines.${i}.quantity`, message: invalid };
  if (parseQuantity(asked.quantity) > line.quantity) return { path: `lines.${i}.quantity`, message: `The line holds ${formatQuantity(line.quantity)}` };
  return undefined;
}
