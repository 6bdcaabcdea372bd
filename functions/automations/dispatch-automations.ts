import { dispatchAutomations } from '../../shared/automations/automation-dispatch-use-case';
import { automationFlowDeps } from '../../shared/automations/wiring';
import { eventHandler } from '../../shared/log-context';

/**
 * Target of the one rule that routes every CRM domain event here: evaluates the tenant's
 * automations against it and sends (or schedules) their mails. Throws only when recording a send
 * failed, so EventBridge retries the event (recorded sends are not repeated).
 */
export const handler = eventHandler(async (event: unknown) => dispatchAutomations(automationFlowDeps, event));
