import { sendCaseReply } from '../../shared/cases/case-reply-use-case';
import { caseReplyDeps } from '../../shared/cases/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target on crm.case.message-added.v1: mails an agent's reply to the requester, once. */
export const handler = eventHandler(async (event: unknown) => sendCaseReply(caseReplyDeps, event));
