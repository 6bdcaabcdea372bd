import { Conflict, NotFound } from '../errors';

/** Unknown orders and orders the caller may not work on look the same. */
export class OrderNotFound extends NotFound {
  constructor(orderId: string) {
    super(`Order ${orderId} not found`);
  }
}

/** The order's status does not allow the step (delivering an order never dispatched, paying one not invoiced...). */
export class OrderTransitionRefused extends Conflict {
  override readonly slug = 'order-status';
  constructor(order: { number: string; status: string }, step: string) {
    super(`Order ${order.number} is ${order.status}; it cannot ${step === 'pay' ? 'take a payment (only invoiced orders do)' : step} now`);
    this.extensions.currentStatus = order.status;
  }
}

/** Only an approved or sent quote, still valid, becomes an order. */
export class QuoteNotOrderable extends Conflict {
  override readonly slug = 'quote-not-orderable';
  constructor(quote: { number: string; status: string }, why: string) {
    super(`Quote ${quote.number} cannot become an order: ${why}`);
    this.extensions.currentStatus = quote.status;
  }
}
