import { healthResponse, openApiResponse } from '../responses/common';
import type { RouteDescription, RouteKey } from '../route-docs';

/** Liveness and this description. */
export const SYSTEM_ROUTES: Readonly<Record<RouteKey, RouteDescription>> = {
  'GET /health': {
    summary: 'Liveness',
    description: 'Touches no dependency, so it answers while the database or the bus are down. No token needed.',
    tags: ['System'],
    success: { status: 200, description: 'The API is up.', schema: healthResponse },
  },
  'GET /openapi.json': {
    summary: 'This API description',
    description: 'The OpenAPI 3.1 document, generated from the route table and the request schemas the handlers validate with. No token needed.',
    tags: ['System'],
    success: { status: 200, description: 'The OpenAPI document.', schema: openApiResponse },
  },
};
