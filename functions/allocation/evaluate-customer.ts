import { evaluateDeps } from '../../shared/allocation/wiring';
import { evaluateTask } from '../../shared/allocation/reclaim-sweep-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Map item of the reclaim flow: `{tenantId, customerId, now, runId}` -> the customer's outcome. */
export const handler = eventHandler(async (event: unknown) => evaluateTask(evaluateDeps, event));
