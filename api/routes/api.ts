import { healthResponse, openApiResponse } from '../responses/common';
import { areaRoutes } from '../route';

/** Liveness and this description. */
export const SYSTEM_ROUTES = areaRoutes('api', 'stateless', [
  {
    method: 'GET',
    path: '/health',
    auth: 'none',
    publicBecause: 'The health check is public by design for load balancers and uptime probes; it returns no data and calls nothing.',
    handler: 'functions/api/health.ts',
    access: {},
    doc: {
      summary: 'Liveness',
      description: 'Touches no dependency, so it answers while the database or the bus are down. No token needed.',
      tags: ['System'],
      success: { status: 200, description: 'The API is up.', schema: healthResponse },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    auth: 'none',
    publicBecause: 'The API description is public by design so clients can generate code from it; it is built from the schemas and holds no tenant data.',
    handler: 'functions/api/openapi.ts',
    functionId: 'OpenApi',
    access: {},
    doc: {
      summary: 'This API description',
      description: 'The OpenAPI 3.1 document, generated from the route table and the request schemas the handlers validate with. No token needed.',
      tags: ['System'],
      success: { status: 200, description: 'The OpenAPI document.', schema: openApiResponse },
    },
  },
]);
