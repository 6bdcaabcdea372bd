import { approvalView, processView } from '../../shared/approvals/approval-process';
import { getProcess } from '../../shared/approvals/approval-use-cases';
import { approvalDeps } from '../../shared/approvals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /processes/{id}: the process, its steps, history and approvals. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const { process, approvals } = await getProcess(approvalDeps, caller, pathParameters.id ?? '');
  return json(200, { ...processView(process), approvals: approvals.map(approvalView) }, { etag: `"${process.version}"` });
});
