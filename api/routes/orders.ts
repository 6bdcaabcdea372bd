import { cancelInput, invoiceInput, paymentInput, placeOrderInput, stepInput } from '../../shared/orders/order';
import { staleVersion } from '../responses/common';
import { orderResponse, purchasesResponse } from '../responses/processes';
import { type AreaRoute, areaRoutes } from '../route';

const orderId = { id: 'Order id' };
const notVisible = 'No such order, or one you may not work on (its owner, managers and admins may).';

/** One step of an order's life: its status rule, its body. */
const step = (path: string, handler: AreaRoute<'orders'>['handler'], summary: string, description: string, body: typeof stepInput | typeof invoiceInput | typeof cancelInput): AreaRoute<'orders'> => ({
  method: 'POST',
  path,
  auth: 'jwt',
  handler,
  access: { table: 'readWrite' },
  doc: {
    summary,
    description: `${description} If-Match optional. Commits \`crm.order.status-changed.v1\`.`,
    tags: ['Processes'],
    pathParameters: orderId,
    requestBody: { schema: body, description: 'The step.' },
    success: { status: 200, description: 'Done.', schema: orderResponse, headers: ['ETag'] },
    errors: { 404: notVisible, 409: "The order's status does not allow this step (`order-status`).", 412: staleVersion('order') },
  },
});

/** Orders, dispatch, invoices, payments and the customer's purchases (docs/processes.md, "Orders"). */
export const ORDERS_ROUTES = areaRoutes('orders', 'processes', [
  {
    method: 'POST',
    path: '/orders',
    auth: 'jwt',
    handler: 'functions/orders/place-order.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Place an order',
      description:
        "Confirmed at once. From an approved or sent quote still valid (`quoteId`: the customer accepted it, the quote becomes `accepted` in the same commit and the order takes its lines, prices and discount), " +
        "or from lines priced like a quote's (`currency`, `lines`, `discountPercent?`). The purchase moves the customer's order count, lifetime spend and `lastPurchaseAt` in the same commit. Commits `crm.order.placed.v1`.",
      tags: ['Processes'],
      requestBody: { schema: placeOrderInput, description: 'The order.' },
      success: { status: 201, description: 'Placed.', schema: orderResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'Invalid body: both or neither of `quoteId` and `lines`, a customer you may not read, a quote of another customer, lines as for a quote; named in `errors`.',
        409: 'The quote is not approved or sent, expired, or changed meanwhile (`quote-not-orderable`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/orders/{id}',
    auth: 'jwt',
    handler: 'functions/orders/get-order.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read an order',
      description: 'With its lines, totals, payments, what is paid and the balance.',
      tags: ['Processes'],
      pathParameters: orderId,
      success: { status: 200, description: 'The order.', schema: orderResponse, headers: ['ETag'] },
      errors: { 404: notVisible },
    },
  },
  step('/orders/{id}/dispatch', 'functions/orders/dispatch-order.ts', 'Dispatch an order', 'A confirmed order goes out. Send `{}`.', stepInput),
  step('/orders/{id}/deliver', 'functions/orders/deliver-order.ts', 'Mark an order delivered', 'A dispatched order arrived. Send `{}`.', stepInput),
  step('/orders/{id}/invoice', 'functions/orders/invoice-order.ts', 'Invoice an order', 'A confirmed, dispatched or delivered order is invoiced with its due date; payments follow.', invoiceInput),
  step('/orders/{id}/cancel', 'functions/orders/cancel-order.ts', 'Cancel an order', "Before it is invoiced; its purchase leaves the customer's order count and spend in the same commit.", cancelInput),
  {
    method: 'POST',
    path: '/orders/{id}/payments',
    auth: 'jwt',
    handler: 'functions/orders/record-order-payment.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Record a payment',
      description: 'Part or all of the balance of an invoiced order, in its currency; the payment that settles the balance makes the order `paid` (`crm.order.status-changed.v1`).',
      tags: ['Processes'],
      pathParameters: orderId,
      requestBody: { schema: paymentInput, description: 'The payment.' },
      success: { status: 200, description: 'Recorded.', schema: orderResponse, headers: ['ETag'] },
      errors: { 400: 'An amount of 0, with more decimals than the currency, or above the balance (`amount`).', 404: notVisible, 409: 'Not invoiced (`order-status`).' },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/purchases',
    auth: 'jwt',
    handler: 'functions/orders/list-purchases.ts',
    access: { table: 'read' },
    doc: {
      summary: "A customer's purchases",
      description: 'Every line of every order not cancelled (product, date, amount), newest order first, with the order count, lifetime spend per currency and first and last purchase; one Query.',
      tags: ['Processes'],
      pathParameters: { id: 'Customer id' },
      success: { status: 200, description: 'The purchases.', schema: purchasesResponse },
      errors: { 404: 'No such customer, or one you may not read.' },
    },
  },
]);
