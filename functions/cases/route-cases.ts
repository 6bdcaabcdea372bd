import { onRoutingEvent } from '../../shared/cases/routing-use-cases';
import { routingDeps } from '../../shared/cases/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target on crm.case.opened.v1, crm.case.status-changed.v1 and crm.agent.updated.v1: routes queued cases to available agents. */
export const handler = eventHandler(async (event: unknown) => onRoutingEvent(routingDeps, event));
