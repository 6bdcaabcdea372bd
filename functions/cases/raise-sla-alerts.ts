import { raiseDueSlaAlerts } from '../../shared/cases/case-sla-use-cases';
import { slaSweepDeps } from '../../shared/cases/wiring';
import { eventHandler } from '../../shared/log-context';

/** Every minute: the SLA warnings and breaches whose time has come, each once, committed with its case. */
export const handler = eventHandler(async () => raiseDueSlaAlerts(slaSweepDeps));
