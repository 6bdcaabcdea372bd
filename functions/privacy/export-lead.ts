import { exportLead } from '../../shared/privacy/lead-erasure-repository';
import { leadPrivacy } from '../../shared/privacy/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /leads/{id}/export: everything stored about the lead (access and portability requests). */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const id = pathParameters.id ?? '';
  return json(200, await exportLead(leadPrivacy, caller, id), { 'content-disposition': `attachment; filename="lead-${id}.json"` });
});
