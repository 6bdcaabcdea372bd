import { listOrderCases } from '../../shared/cases/after-sales-use-cases';
import { caseView } from '../../shared/cases/case';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /orders/{id}/cases: the order's cases, newest first. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const cases = await listOrderCases(caseDeps, caller, pathParameters.id ?? '');
  return json(200, { items: cases.map(caseView) });
});
