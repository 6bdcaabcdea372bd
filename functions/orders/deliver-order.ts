import { orderStepHandler } from './order-step-handler';

/** POST /orders/{id}/deliver */
export const handler = orderStepHandler('deliver');
