import { mailEscalatedApproval } from '../../shared/approvals/escalation-mail-use-case';
import { escalationMailDeps } from '../../shared/approvals/wiring';
import { eventHandler } from '../../shared/log-context';

/** On crm.approval.escalated.v1: a mail to the approver the escalated approval now waits on, once. */
export const handler = eventHandler(async (event: unknown) => mailEscalatedApproval(escalationMailDeps, event));
