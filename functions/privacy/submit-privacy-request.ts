import { httpHandler, json } from '../../shared/http/http-handler';
import { privacyRequestInput } from '../../shared/privacy/privacy-request';
import { submitPrivacyRequest } from '../../shared/privacy/privacy-request-use-cases';
import { customerEraser, customerExporter, leadPrivacy, privacyRequests } from '../../shared/privacy/wiring';

/** POST /privacy/requests {type, email?, phone?}: a data subject's export or erasure by address, admins only. */
export const handler = httpHandler({ body: privacyRequestInput }, async ({ caller, body }) => {
  const result = await submitPrivacyRequest({ requests: privacyRequests, customerEraser, customerExporter, leadPrivacy }, caller, body);
  return json(201, result, { location: `/privacy/requests/${result.request.id}` });
});
