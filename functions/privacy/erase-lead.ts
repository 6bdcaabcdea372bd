import { eraseLead } from '../../shared/privacy/lead-erasure-repository';
import { leadPrivacy } from '../../shared/privacy/wiring';
import { httpHandler } from '../../shared/http/http-handler';

/** DELETE /leads/{id}: erasure of the lead's personal data. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  await eraseLead(leadPrivacy, caller, pathParameters.id ?? '', requestId);
  return { statusCode: 204 };
});
