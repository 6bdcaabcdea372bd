import { httpHandler, json } from '../../shared/http/http-handler';
import { buildOpenApiDocument, type OpenApiDocument } from '../../api/openapi';

/** Built on the first request (~20 ms), then kept: it only changes with a deployment. */
let document: OpenApiDocument | undefined;

/** GET /openapi.json: the API's OpenAPI 3.1 document, generated from the route table and the handlers' schemas. */
export const handler = httpHandler({ authenticated: false }, async () => json(200, (document ??= buildOpenApiDocument())));
