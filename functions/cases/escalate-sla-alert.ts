import { escalateSlaAlert } from '../../shared/cases/case-sla-use-cases';
import { slaEscalationDeps } from '../../shared/cases/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target on crm.case.sla-warning.v1 and crm.case.sla-breached.v1: mails the escalation once per recipient. */
export const handler = eventHandler(async (event: unknown) => escalateSlaAlert(slaEscalationDeps, event));
