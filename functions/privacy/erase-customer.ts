import { eraseCustomer } from '../../shared/privacy/customer-erasure-repository';
import { customerEraser, leadPrivacy } from '../../shared/privacy/wiring';
import { httpHandler } from '../../shared/http/http-handler';

/** DELETE /customers/{id}: erasure of the customer's personal data (GDPR art. 17, CCPA deletion). */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  await eraseCustomer(customerEraser, caller, pathParameters.id ?? '', requestId, leadPrivacy);
  return { statusCode: 204 };
});
