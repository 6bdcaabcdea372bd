import { httpHandler, json } from '../../shared/http/http-handler';
import { templateRepository } from '../../shared/templates/wiring';
import { listTemplates } from '../../shared/templates/template-use-cases';

/** GET /templates: the tenant's templates without their bodies, oldest first. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: await listTemplates(templateRepository, caller) }));
