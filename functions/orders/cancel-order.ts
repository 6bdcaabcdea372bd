import { orderStepHandler } from './order-step-handler';

/** POST /orders/{id}/cancel {reason?} */
export const handler = orderStepHandler('cancel');
