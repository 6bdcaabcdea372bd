import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { listOrderCases, openOrderCase } from '../../../shared/cases/after-sales-use-cases';
import type { Case } from '../../../shared/cases/case';
import type { CaseEvent } from '../../../shared/cases/case-repository';
import { type CaseDeps, openCase } from '../../../shared/cases/case-use-cases';
import type { Customer } from '../../../shared/customers/customer';
import { Forbidden } from '../../../shared/errors';
import type { Order } from '../../../shared/orders/order';
import { OrderNotFound } from '../../../shared/orders/order-errors';
import { rejectionPaths } from '../validation-paths';

const customer = (id: string) => ({ id, emails: [`${id.toLowerCase()}@example.com`], level: null, mergedInto: null, erasedAt: null }) as unknown as Customer;
const order = {
  id: '01JD00000000000000000000R1', number: 'O-2026-0007', customerId: 'K1', ownerId: 'rep-1', status: 'delivered', dispatchedAt: '2026-12-01T09:00:00.000Z',
  lines: [{ productId: 'P1', sku: 'SEAT', name: 'Seat', quantity: 4000 }],
} as unknown as Order;
const rep: Caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep'] };
const otherRep: Caller = { userId: 'rep-2', tenantId: 't1', groups: ['rep'] };
const agent: Caller = { userId: 'agent-1', tenantId: 't1', groups: ['agent'] };

/** The case use cases over an order of customer K1 with one contact, recording what they write and read. */
function world() {
  const opened: { c: Case; events: CaseEvent[] }[] = [];
  const contactReads: string[] = [];
  const orderQueries: string[] = [];
  const deps = {
    cases: {
      open: async (c: Case, events: CaseEvent[]) => {
        opened.push({ c, events });
        return { outcome: 'written' as const };
      },
      forOrder: async (_t: string, customerId: string, orderId: string) => {
        orderQueries.push(`${customerId}/${orderId}`);
        return opened.map((o) => o.c).filter((c) => c.orderId === orderId);
      },
    },
    customers: { get: async (_t: string, id: string) => (['K1', 'K2'].includes(id) ? customer(id) : undefined), idByEmail: async () => undefined, createForAddress: async () => customer('NEW') },
    users: { get: async () => ({ status: 'active' as const }) },
    slaPolicies: { forCategory: async () => null },
    orders: { get: async (_t: string, id: string) => (id === order.id ? order : undefined) },
    contacts: {
      get: async (_t: string, customerId: string, contactId: string) => {
        contactReads.push(`${customerId}/${contactId}`);
        return customerId === 'K1' && contactId === '01JD00000000000000000000C1' ? { id: contactId } : undefined;
      },
    },
  } as unknown as CaseDeps;
  return { deps, opened, contactReads, orderQueries };
}

const question = { kind: 'question' as const, subject: 'Assembly?', description: 'Is it included?', priority: 'normal' as const, channel: 'api' as const };

describe('opening an after-sales case', () => {
  it("opens it for the order's customer, by its kind's category, with its lines, and tells the order on the event", async () => {
    const { deps, opened } = world();
    const c = await openOrderCase(deps, rep, order.id, { ...question, kind: 'return', lines: [{ index: 0, quantity: 1 }] }, 'req-1');
    expect(c).toMatchObject({ customerId: 'K1', category: 'after-sales-return', orderId: order.id, status: 'new', assigneeId: null, createdBy: 'rep-1' });
    expect(c.orderLines).toEqual([{ index: 0, productId: 'P1', sku: 'SEAT', name: 'Seat', quantity: 1000 }]);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.events[0]).toMatchObject({ detailType: 'crm.case.opened.v1', detail: { data: { orderId: order.id, category: 'after-sales-return', customerId: 'K1' } } });
  });

  it("lets agents who did not sell the order open one; another rep finds no order, and nothing is written", async () => {
    const { deps, opened } = world();
    await expect(openOrderCase(deps, agent, order.id, question, 'req-1')).resolves.toMatchObject({ orderId: order.id });
    await expect(openOrderCase(deps, otherRep, order.id, question, 'req-1')).rejects.toBeInstanceOf(OrderNotFound);
    await expect(openOrderCase(deps, agent, '01JD00000000000000000000XX', question, 'req-1')).rejects.toBeInstanceOf(OrderNotFound);
    expect(opened).toHaveLength(1);
  });

  it("checks a named contact against the order's customer", async () => {
    const { deps, opened, contactReads } = world();
    expect(await rejectionPaths(openOrderCase(deps, rep, order.id, { ...question, contactId: '01JD00000000000000000000C2' }, 'req-1'))).toEqual(['contactId']);
    await expect(openOrderCase(deps, rep, order.id, { ...question, contactId: '01JD00000000000000000000C1' }, 'req-1')).resolves.toMatchObject({ contactId: '01JD00000000000000000000C1' });
    expect(contactReads).toEqual(['K1/01JD00000000000000000000C2', 'K1/01JD00000000000000000000C1']);
    expect(opened).toHaveLength(1);
  });
});

describe('POST /cases with an orderId', () => {
  const base = { subject: 'Invoice', description: 'PO number missing', priority: 'normal' as const, category: 'billing', channel: 'api' as const };

  it("takes the order's customer when none is named, and refuses another customer's order before writing", async () => {
    const { deps, opened } = world();
    await expect(openCase(deps, agent, { ...base, orderId: order.id }, 'req-1')).resolves.toMatchObject({ customerId: 'K1', orderId: order.id, orderLines: [] });
    expect(await rejectionPaths(openCase(deps, agent, { ...base, customerId: 'K2', orderId: order.id }, 'req-1'))).toEqual(['orderId']);
    expect(await rejectionPaths(openCase(deps, agent, { ...base, customerId: 'K1', orderId: '01JD00000000000000000000XX' }, 'req-1'))).toEqual(['orderId']);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.events[0]).toMatchObject({ detail: { data: { orderId: order.id } } });
  });

  it('stays for service staff: the rep who sold the order opens through the order instead', async () => {
    const { deps } = world();
    await expect(openCase(deps, rep, { ...base, orderId: order.id }, 'req-1')).rejects.toBeInstanceOf(Forbidden);
  });

  it('says orderId: null on a case about no order', async () => {
    const { deps, opened } = world();
    await expect(openCase(deps, agent, { ...base, customerId: 'K1' }, 'req-1')).resolves.toMatchObject({ orderId: null });
    expect(opened[0]!.events[0]).toMatchObject({ detail: { data: { orderId: null } } });
  });
});

describe("listing an order's cases", () => {
  it("reads the order's customer's cases for that order, for whoever may open one", async () => {
    const { deps, orderQueries } = world();
    const opened = await openOrderCase(deps, rep, order.id, question, 'req-1');
    expect((await listOrderCases(deps, agent, order.id)).map((c) => c.id)).toEqual([opened.id]);
    await expect(listOrderCases(deps, otherRep, order.id)).rejects.toBeInstanceOf(OrderNotFound);
    expect(orderQueries).toEqual([`K1/${order.id}`]);
  });
});
