import { eventHandler } from '../../shared/log-context';
import { raiseOverdueInvoices } from '../../shared/orders/overdue-invoices-use-case';
import { overdueDeps } from '../../shared/orders/wiring';

/** Hourly (daily on dev-like stages): each invoice past its due date and unpaid raises crm.invoice.overdue.v1 once. */
export const handler = eventHandler(async () => raiseOverdueInvoices(overdueDeps));
