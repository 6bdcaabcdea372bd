import { busEventSchema } from '../../events/envelope';
import { orderStatusChangedV1 } from '../../events/orders/order-status-changed.v1';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import { orderDocument } from './order-document';
import type { OrderRepository } from './order-repository';

/** The side effect's name; its marker (`$DONE#order-dispatch#<orderId>`) sits in the customer's partition. */
export const ORDER_DISPATCH_EFFECT = 'order-dispatch';

export interface OrderDispatchDeps {
  orders: Pick<OrderRepository, 'get'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
}

export type OrderDispatchResult = { status: 'sent'; messageId: string } | { status: 'not-dispatch' | 'already-sent' | 'no-address' | 'customer-gone' };

/**
 * Rule target on `crm.order.status-changed.v1` to `dispatched` ("order dispatch"): mails the order
 * document to the customer's first address once, however often the event comes (a marker claimed
 * before the send, released if SES refuses so a retry sends it then).
 */
export async function mailOrderDocument(deps: OrderDispatchDeps, event: unknown): Promise<OrderDispatchResult> {
  const detail = orderStatusChangedV1.schema.parse(busEventSchema.parse(event).detail);
  const { orderId, customerId, to } = detail.data;
  if (to !== 'dispatched') return { status: 'not-dispatch' };
  const [order, customer] = await Promise.all([deps.orders.get(detail.tenantId, orderId), deps.customers.get(detail.tenantId, customerId)]);
  // The index may trail the commit by a moment: failing lets the bus deliver it again.
  if (!order) throw new Error(`Order ${orderId} is not readable yet`);
  if (!customer || customer.erasedAt || customer.mergedInto) return { status: 'customer-gone' };
  const address = customer.emails[0];
  if (!address) return { status: 'no-address' };
  const partition = keys.customerPartition(detail.tenantId, customerId);
  const effect = `${ORDER_DISPATCH_EFFECT}#${orderId}`;
  if (!(await deps.once.claim(partition, effect, clock.nowIso()))) return { status: 'already-sent' };
  const document = orderDocument(order, customer.name);
  let sent: { messageId: string };
  try {
    sent = await deps.mailer.sendSimple({ to: address, ...document, tags: { tenantId: detail.tenantId, customerId, kind: ORDER_DISPATCH_EFFECT } });
  } catch (error) {
    await deps.once.release(partition, effect);
    throw error;
  }
  await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
  return { status: 'sent', messageId: sent.messageId };
}
