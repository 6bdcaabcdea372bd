import { httpHandler, json } from '../../shared/http/http-handler';
import { runPrivacyRequest } from '../../shared/privacy/privacy-request-use-cases';
import { customerEraser, customerExporter, leadPrivacy, privacyRequests } from '../../shared/privacy/wiring';

/** POST /privacy/requests/{id}/run: finishes an erasure that stopped part-way (every step is idempotent). */
export const handler = httpHandler({}, async ({ caller, pathParameters }) =>
  json(200, await runPrivacyRequest({ requests: privacyRequests, customerEraser, customerExporter, leadPrivacy }, caller, pathParameters.id ?? '')),
);
