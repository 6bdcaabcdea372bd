import { duplicateFinder } from '../../shared/customers/wiring';
import { checkDuplicates } from '../../shared/customers/duplicate-check-repository';
import { checkDuplicatesInput } from '../../shared/customers/duplicate-check-input';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/check-duplicates: who might already be this customer, before creating it. */
export const handler = httpHandler({ body: checkDuplicatesInput }, async ({ caller, body }) => json(200, await checkDuplicates(duplicateFinder, caller, body)));
