/**
 * The HTTP API in one table: the stateless stack creates one route per row, and the local runtime
 * serves the same routes because it reads them back from the synthesized template.
 */
export type RouteAuth = 'jwt' | 'none';
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The functions that serve HTTP routes (construct ids in the stateless stack). */
export type HttpFunctionKey =
  | 'Health'
  | 'CreateCustomer'
  | 'ListCustomers'
  | 'GetCustomer'
  | 'UpdateCustomer'
  | 'GetCustomer360'
  | 'LogActivity'
  | 'ListActivities'
  | 'AddContact'
  | 'UpdateContact'
  | 'RemoveContact'
  | 'CheckDuplicates'
  | 'OpenApi'
  | 'ExportCustomer'
  | 'MergeCustomers'
  | 'DefineCustomField'
  | 'ListCustomFields'
  | 'CreatePool'
  | 'ListPools'
  | 'GetPool'
  | 'UpdatePool'
  | 'ListPoolCustomers'
  | 'PutUser'
  | 'ListUsers'
  | 'GetUser'
  | 'ClaimCustomer'
  | 'ReleaseCustomer'
  | 'AssignCustomer'
  | 'LockCustomer'
  | 'UnlockCustomer'
  | 'EraseCustomer';

export interface ApiRoute {
  readonly method: RouteMethod;
  readonly path: string;
  readonly functionKey: HttpFunctionKey;
  readonly auth: RouteAuth;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/health', functionKey: 'Health', auth: 'none' },
  { method: 'GET', path: '/openapi.json', functionKey: 'OpenApi', auth: 'none' },
  { method: 'POST', path: '/customers', functionKey: 'CreateCustomer', auth: 'jwt' },
  { method: 'GET', path: '/customers', functionKey: 'ListCustomers', auth: 'jwt' },
  { method: 'POST', path: '/customers/check-duplicates', functionKey: 'CheckDuplicates', auth: 'jwt' },
  { method: 'GET', path: '/customers/{id}', functionKey: 'GetCustomer', auth: 'jwt' },
  { method: 'PATCH', path: '/customers/{id}', functionKey: 'UpdateCustomer', auth: 'jwt' },
  { method: 'DELETE', path: '/customers/{id}', functionKey: 'EraseCustomer', auth: 'jwt' },
  { method: 'GET', path: '/customers/{id}/360', functionKey: 'GetCustomer360', auth: 'jwt' },
  { method: 'GET', path: '/customers/{id}/export', functionKey: 'ExportCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/merge', functionKey: 'MergeCustomers', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/claim', functionKey: 'ClaimCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/release', functionKey: 'ReleaseCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/assign', functionKey: 'AssignCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/lock', functionKey: 'LockCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/unlock', functionKey: 'UnlockCustomer', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/activities', functionKey: 'LogActivity', auth: 'jwt' },
  { method: 'GET', path: '/customers/{id}/activities', functionKey: 'ListActivities', auth: 'jwt' },
  { method: 'POST', path: '/customers/{id}/contacts', functionKey: 'AddContact', auth: 'jwt' },
  { method: 'PATCH', path: '/customers/{id}/contacts/{contactId}', functionKey: 'UpdateContact', auth: 'jwt' },
  { method: 'DELETE', path: '/customers/{id}/contacts/{contactId}', functionKey: 'RemoveContact', auth: 'jwt' },
  { method: 'POST', path: '/custom-fields', functionKey: 'DefineCustomField', auth: 'jwt' },
  { method: 'GET', path: '/custom-fields', functionKey: 'ListCustomFields', auth: 'jwt' },
  { method: 'POST', path: '/pools', functionKey: 'CreatePool', auth: 'jwt' },
  { method: 'GET', path: '/pools', functionKey: 'ListPools', auth: 'jwt' },
  { method: 'GET', path: '/pools/{id}', functionKey: 'GetPool', auth: 'jwt' },
  { method: 'PATCH', path: '/pools/{id}', functionKey: 'UpdatePool', auth: 'jwt' },
  { method: 'GET', path: '/pools/{id}/customers', functionKey: 'ListPoolCustomers', auth: 'jwt' },
  { method: 'PUT', path: '/users/{userId}', functionKey: 'PutUser', auth: 'jwt' },
  { method: 'GET', path: '/users', functionKey: 'ListUsers', auth: 'jwt' },
  { method: 'GET', path: '/users/{userId}', functionKey: 'GetUser', auth: 'jwt' },
];
