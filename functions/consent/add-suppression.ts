import { httpHandler, json } from '../../shared/http/http-handler';
import { addSuppressionInput, suppressionView } from '../../shared/consent/suppression';
import { suppressionRepository } from '../../shared/consent/wiring';
import { addSuppression } from '../../shared/consent/suppression-use-cases';

/** POST /suppressions {email, note?}: 201 added, 200 when the address was suppressed already; marketers and admins. */
export const handler = httpHandler({ body: addSuppressionInput }, async ({ caller, body }) => {
  const { created, suppression } = await addSuppression(suppressionRepository, caller, body);
  return created ? json(201, suppressionView(suppression)) : json(200, { email: suppression.email, alreadySuppressed: true });
});
