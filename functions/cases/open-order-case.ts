import { orderCaseInput } from '../../shared/cases/after-sales';
import { openOrderCase } from '../../shared/cases/after-sales-use-cases';
import { caseView } from '../../shared/cases/case';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /orders/{id}/cases: an after-sales question, complaint or return, as a case linked to the order. */
export const handler = httpHandler({ body: orderCaseInput }, async ({ caller, body, pathParameters, requestId }) => {
  const opened = await openOrderCase(caseDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(201, caseView(opened), { location: `/cases/${opened.id}`, etag: `"${opened.version}"` });
});
