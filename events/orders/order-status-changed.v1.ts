import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { ORDER_STATUSES } from '../../shared/orders/order';

/** An order moved on: dispatched, delivered, invoiced, paid (by the payment that settled it) or cancelled. */
export const orderStatusChangedV1 = defineEvent(
  'crm.order.status-changed.v1',
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    from: z.enum(ORDER_STATUSES),
    to: z.enum(ORDER_STATUSES),
    currency: z.string(),
    total: z.string(),
    /** On `invoiced`: the due date. */
    dueDate: z.nullable(z.string()),
  }),
);

export type OrderStatusChangedV1 = DetailOf<typeof orderStatusChangedV1>;
