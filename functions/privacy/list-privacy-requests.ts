import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';
import { PRIVACY_REQUEST_PAGE_SIZE } from '../../shared/privacy/privacy-request';
import { listPrivacyRequests } from '../../shared/privacy/privacy-request-use-cases';
import { privacyRequests } from '../../shared/privacy/wiring';

/** GET /privacy/requests?limit=&cursor=: the tenant's privacy requests, newest first; admins. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const limit = parseLimit(query.limit, PRIVACY_REQUEST_PAGE_SIZE.default, PRIVACY_REQUEST_PAGE_SIZE.max);
  return json(200, await listPrivacyRequests({ requests: privacyRequests }, caller, limit, query.cursor));
});
