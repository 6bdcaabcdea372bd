import { APPROVAL_PAGE_SIZE, listApprovals } from '../../shared/approvals/approval-use-cases';
import { approvalView } from '../../shared/approvals/approval-process';
import { approvalDeps } from '../../shared/approvals/wiring';
import { ValidationFailed } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';

/** GET /approvals?assignee=me&status=pending: an approver's inbox, one Query per page. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const status = query.status ?? 'pending';
  if (status !== 'pending' && status !== 'done') throw new ValidationFailed([{ path: 'query.status', message: 'Expected pending or done' }]);
  const page = await listApprovals(approvalDeps, caller, { assignee: query.assignee, status, limit: parseLimit(query.limit, APPROVAL_PAGE_SIZE.default, APPROVAL_PAGE_SIZE.max), cursor: query.cursor });
  return json(200, { items: page.items.map(approvalView), cursor: page.cursor });
});
