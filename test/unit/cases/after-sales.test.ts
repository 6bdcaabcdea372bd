import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { afterSalesCategory, linkedCustomerId, mayWorkOnOrderCases, NothingToReturn, orderCaseInput, orderCaseLines } from '../../../shared/cases/after-sales';
import { caseCategory, caseView, type Case } from '../../../shared/cases/case';
import type { Order } from '../../../shared/orders/order';
import { validationPaths } from '../validation-paths';

const caller = (userId: string, ...groups: Caller['groups']): Caller => ({ userId, tenantId: 't1', groups });
const line = (sku: string, quantity: number) => ({ productId: `P-${sku}`, sku, name: `Product ${sku}`, quantity }) as Order['lines'][number];
const order = (over: Partial<Order> = {}): Order =>
  ({
    id: 'O1', number: 'O-2026-0001', customerId: 'K1', ownerId: 'rep-1', status: 'delivered', dispatchedAt: '2026-12-01T09:00:00.000Z',
    // One product on two lines (at two prices): an index names a line where a SKU would not.
    lines: [line('SEAT', 3000), line('DESK', 1000), line('SEAT', 2500)],
    ...over,
  }) as Order;

describe('after-sales categories', () => {
  it('are plain case categories, one per kind, which routing skills and SLA policies can name', () => {
    expect(['question', 'complaint', 'return'].map((k) => afterSalesCategory(k as 'question'))).toEqual(['after-sales-question', 'after-sales-complaint', 'after-sales-return']);
    for (const kind of ['question', 'complaint', 'return'] as const) expect(caseCategory.safeParse(afterSalesCategory(kind)).success).toBe(true);
  });
});

describe('who works on an order\'s cases', () => {
  it("is the order's owner, managers, admins and service agents; another rep or a marketer is not", () => {
    const o = order();
    expect(mayWorkOnOrderCases(caller('rep-1', 'rep'), o)).toBe(true);
    expect(mayWorkOnOrderCases(caller('agent-7', 'agent'), o)).toBe(true);
    expect(mayWorkOnOrderCases(caller('mgr-1', 'manager'), o)).toBe(true);
    expect(mayWorkOnOrderCases(caller('admin-1', 'admin'), o)).toBe(true);
    expect(mayWorkOnOrderCases(caller('rep-2', 'rep'), o)).toBe(false);
    expect(mayWorkOnOrderCases(caller('mkt-1', 'marketer'), o)).toBe(false);
  });
});

describe('a case linked to an order', () => {
  it("is for the order's customer: named or left out; another customer or no order is a 400 naming orderId", () => {
    expect(linkedCustomerId(order(), undefined)).toBe('K1');
    expect(linkedCustomerId(order(), 'K1')).toBe('K1');
    expect(validationPaths(() => linkedCustomerId(order(), 'K2'))).toEqual(['orderId']);
    expect(validationPaths(() => linkedCustomerId(undefined, 'K1'))).toEqual(['orderId']);
  });

  it('shows its order and lines in the view (quantities as sent), null and none on a case without', () => {
    const plain = { id: 'C1', sla: null } as unknown as Case;
    expect(caseView(plain)).toMatchObject({ orderId: null, orderLines: [] });
    const linked = { ...plain, orderId: 'O1', orderLines: [{ index: 2, productId: 'P-SEAT', sku: 'SEAT', name: 'Product SEAT', quantity: 1500 }] };
    expect(caseView(linked)).toMatchObject({ orderId: 'O1', orderLines: [{ index: 2, sku: 'SEAT', quantity: 1.5 }] });
  });
});

describe('the order lines a request is about', () => {
  it('takes a return of part of one line and all of another, by position, in order', () => {
    expect(orderCaseLines(order(), 'return', [{ index: 2, quantity: 1.5 }, { index: 0 }])).toEqual([
      { index: 0, productId: 'P-SEAT', sku: 'SEAT', name: 'Product SEAT', quantity: 3000 },
      { index: 2, productId: 'P-SEAT', sku: 'SEAT', name: 'Product SEAT', quantity: 1500 },
    ]);
  });

  it('wants lines for a return, not for a question or a complaint', () => {
    expect(validationPaths(() => orderCaseLines(order(), 'return', undefined))).toEqual(['lines']);
    expect(orderCaseLines(order(), 'question', undefined)).toEqual([]);
    expect(orderCaseLines(order(), 'complaint', [{ index: 1 }])).toHaveLength(1);
  });

  it('names every bad line at once: no such line, a line twice, more than the line holds', () => {
    expect(validationPaths(() => orderCaseLines(order(), 'return', [{ index: 3 }, { index: 0 }, { index: 0 }, { index: 1, quantity: 1.001 }, { index: 2, quantity: 0 }]))).toEqual([
      'lines.0.index',
      'lines.2.index',
      'lines.3.quantity',
      'lines.4.quantity',
    ]);
  });

  it('takes complaints and questions on a cancelled order; returns only of goods that went out', () => {
    const cancelledUnshipped = order({ status: 'cancelled', dispatchedAt: null });
    expect(orderCaseLines(cancelledUnshipped, 'complaint', undefined)).toEqual([]);
    expect(orderCaseLines(cancelledUnshipped, 'question', [{ index: 0 }])).toHaveLength(1);
    expect(() => orderCaseLines(cancelledUnshipped, 'return', [{ index: 0 }])).toThrow(NothingToReturn);
    expect(() => orderCaseLines(order({ status: 'confirmed', dispatchedAt: null }), 'return', [{ index: 0 }])).toThrow(NothingToReturn);
    // Cancelled after it went out: the goods come back.
    expect(orderCaseLines(order({ status: 'cancelled' }), 'return', [{ index: 1 }])).toHaveLength(1);
    const refused = (() => {
      try {
        orderCaseLines(order({ status: 'confirmed', dispatchedAt: null }), 'return', [{ index: 0 }]);
      } catch (error) {
        return error as NothingToReturn;
      }
    })();
    expect(refused?.extensions).toEqual({ currentStatus: 'confirmed' });
  });
});

describe('the after-sales request body', () => {
  it('names bad fields: an unknown kind, an empty subject, a negative index, an unknown field', () => {
    const result = orderCaseInput.safeParse({ kind: 'refund', subject: ' ', description: 'x', lines: [{ index: -1 }], assigneeId: 'agent-1' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => [...i.path, ...('keys' in i ? (i.keys as string[]) : [])].join('.'));
    expect(paths).toEqual(expect.arrayContaining(['kind', 'subject', 'lines.0.index', 'assigneeId']));
  });

  it('defaults priority and channel', () => {
    expect(orderCaseInput.parse({ kind: 'question', subject: 'When?', description: 'When does it ship?' })).toMatchObject({ priority: 'normal', channel: 'api' });
  });
});
