import { orderStepHandler } from './order-step-handler';

/** POST /orders/{id}/dispatch */
export const handler = orderStepHandler('dispatch');
