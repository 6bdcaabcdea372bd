import { httpHandler } from '../../shared/http/http-handler';
import { suppressionRepository } from '../../shared/consent/wiring';
import { removeSuppression } from '../../shared/consent/suppression-use-cases';

/** DELETE /suppressions/{email}: admins only; 204, 404 when the address is not suppressed. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  await removeSuppression(suppressionRepository, caller, pathParameters.email);
  return { statusCode: 204 };
});
