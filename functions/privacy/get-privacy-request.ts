import { httpHandler, json } from '../../shared/http/http-handler';
import { showPrivacyRequest } from '../../shared/privacy/privacy-request-use-cases';
import { privacyRequests } from '../../shared/privacy/wiring';

/** GET /privacy/requests/{id}: what was asked, found and done, without personal data. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, await showPrivacyRequest({ requests: privacyRequests }, caller, pathParameters.id ?? '')));
