import { eventHandler } from '../../shared/log-context';
import { openFirstContactTask } from '../../shared/tasks/first-contact-use-case';
import { firstContactDeps } from '../../shared/tasks/wiring';

/** On crm.lead.assigned.v1: the routed rep's first-contact call, due at the rule's response time. */
export const handler = eventHandler(async (event: unknown) => {
  await openFirstContactTask(firstContactDeps, event);
});
