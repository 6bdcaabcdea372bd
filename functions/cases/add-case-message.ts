import { caseMessageInput, caseMessageView, caseView } from '../../shared/cases/case';
import { addCaseMessage } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /cases/{id}/messages: a reply to the requester (mailed once committed) or an internal note. */
export const handler = httpHandler({ body: caseMessageInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { case: after, message } = await addCaseMessage(caseDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(201, { ...caseMessageView(message), case: caseView(after) }, { etag: `"${after.version}"` });
});
