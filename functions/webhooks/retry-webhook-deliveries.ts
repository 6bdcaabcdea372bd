import { eventHandler } from '../../shared/log-context';
import { retryDueDeliveries } from '../../shared/webhooks/webhook-dispatch-use-case';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** The retry sweep: pending deliveries whose next attempt is due, each sent again once. */
export const handler = eventHandler(async () => retryDueDeliveries(webhookDeps));
