import { getCustomer360 } from '../../shared/customers/customer-360-repository';
import { customer360Reader } from '../../shared/customers/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { poolRepository } from '../../shared/pools/wiring';

/** GET /customers/{id}/360: profile, consent, related records and the latest activities in one answer. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, await getCustomer360(customer360Reader, caller, pathParameters.id ?? '', poolRepository)));
