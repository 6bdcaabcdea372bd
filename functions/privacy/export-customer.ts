import { exportCustomer } from '../../shared/privacy/customer-export-repository';
import { customerExporter } from '../../shared/privacy/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /customers/{id}/export: everything stored about the customer (access and portability requests). */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const id = pathParameters.id ?? '';
  return json(200, await exportCustomer(customerExporter, caller, id), { 'content-disposition': `attachment; filename="customer-${id}.json"` });
});
