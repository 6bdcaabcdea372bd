import { escalateOverdueApprovals } from '../../shared/approvals/approval-escalation-use-cases';
import { escalationDeps } from '../../shared/approvals/wiring';
import { eventHandler } from '../../shared/log-context';

/** Every 5 minutes on prod (15 on dev-like stages): approvals past their step's time limit go to the approver's manager, each once. */
export const handler = eventHandler(async () => escalateOverdueApprovals(escalationDeps));
