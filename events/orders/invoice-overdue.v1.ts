import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** An invoiced order was not paid by its due date: raised once, by the overdue-invoice sweep (docs/processes.md, "Orders"). */
export const invoiceOverdueV1 = defineEvent(
  'crm.invoice.overdue.v1',
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    ownerId: z.string(),
    dueDate: z.string(),
    currency: z.string(),
    /** What is still to pay, a decimal string in the currency. */
    balance: z.string(),
  }),
);

export type InvoiceOverdueV1 = DetailOf<typeof invoiceOverdueV1>;
