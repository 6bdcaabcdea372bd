import { orderStepHandler } from './order-step-handler';

/** POST /orders/{id}/invoice {dueDate} */
export const handler = orderStepHandler('invoice');
