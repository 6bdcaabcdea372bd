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
  | 'ClaimFromPool'
  | 'ReleaseCustomer'
  | 'AssignCustomer'
  | 'LockCustomer'
  | 'UnlockCustomer'
  | 'CreatePipeline'
  | 'ListPipelines'
  | 'GetPipeline'
  | 'GetBoard'
  | 'CreateDeal'
  | 'GetDeal'
  | 'UpdateDeal'
  | 'GetForecast'
  | 'EraseCustomer'
  | 'CreateLead'
  | 'ListLeads'
  | 'GetLead'
  | 'AddLeadEngagement'
  | 'QualifyLead'
  | 'DisqualifyLead'
  | 'ConvertLead'
  | 'PutLeadScoring'
  | 'PutRoutingRules'
  | 'CreateForm'
  | 'ListForms'
  | 'SubmitForm'
  | 'CreateCampaign'
  | 'ListCampaigns'
  | 'GetCampaign'
  | 'SendCampaign'
  | 'PauseCampaign'
  | 'ResumeCampaign'
  | 'CancelCampaign'
  | 'CreateTemplate'
  | 'ListTemplates'
  | 'GetTemplate'
  | 'UpdateTemplate'
  | 'PreviewTemplate'
  | 'CreateSegment'
  | 'ListSegments'
  | 'GetSegment'
  | 'PreviewSegment'
  | 'GetMarketingSettings'
  | 'PutMarketingSettings'
  | 'ShowUnsubscribe'
  | 'Unsubscribe'
  | 'ListSuppressions'
  | 'AddSuppression'
  | 'RemoveSuppression'
  | 'CreateAutomation'
  | 'ListAutomations'
  | 'GetAutomation'
  | 'UpdateAutomation'
  | 'DeleteAutomation';

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
  { method: 'POST', path: '/pools/{id}/claim', functionKey: 'ClaimFromPool', auth: 'jwt' },
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
  { method: 'POST', path: '/pipelines', functionKey: 'CreatePipeline', auth: 'jwt' },
  { method: 'GET', path: '/pipelines', functionKey: 'ListPipelines', auth: 'jwt' },
  { method: 'GET', path: '/pipelines/{id}', functionKey: 'GetPipeline', auth: 'jwt' },
  { method: 'GET', path: '/pipelines/{id}/board', functionKey: 'GetBoard', auth: 'jwt' },
  { method: 'POST', path: '/deals', functionKey: 'CreateDeal', auth: 'jwt' },
  { method: 'GET', path: '/deals/{id}', functionKey: 'GetDeal', auth: 'jwt' },
  { method: 'PATCH', path: '/deals/{id}', functionKey: 'UpdateDeal', auth: 'jwt' },
  { method: 'GET', path: '/forecast', functionKey: 'GetForecast', auth: 'jwt' },
  { method: 'POST', path: '/leads', functionKey: 'CreateLead', auth: 'jwt' },
  { method: 'GET', path: '/leads', functionKey: 'ListLeads', auth: 'jwt' },
  { method: 'GET', path: '/leads/{id}', functionKey: 'GetLead', auth: 'jwt' },
  { method: 'POST', path: '/leads/{id}/engagements', functionKey: 'AddLeadEngagement', auth: 'jwt' },
  { method: 'POST', path: '/leads/{id}/qualify', functionKey: 'QualifyLead', auth: 'jwt' },
  { method: 'POST', path: '/leads/{id}/disqualify', functionKey: 'DisqualifyLead', auth: 'jwt' },
  { method: 'POST', path: '/leads/{id}/convert', functionKey: 'ConvertLead', auth: 'jwt' },
  { method: 'PUT', path: '/lead-scoring', functionKey: 'PutLeadScoring', auth: 'jwt' },
  { method: 'PUT', path: '/routing-rules', functionKey: 'PutRoutingRules', auth: 'jwt' },
  { method: 'POST', path: '/forms', functionKey: 'CreateForm', auth: 'jwt' },
  { method: 'GET', path: '/forms', functionKey: 'ListForms', auth: 'jwt' },
  // Public: web pages post here without an account; the form key, a per-IP limit and a honeypot guard it.
  { method: 'POST', path: '/forms/{formKey}/submit', functionKey: 'SubmitForm', auth: 'none' },
  { method: 'POST', path: '/campaigns', functionKey: 'CreateCampaign', auth: 'jwt' },
  { method: 'GET', path: '/campaigns', functionKey: 'ListCampaigns', auth: 'jwt' },
  { method: 'GET', path: '/campaigns/{id}', functionKey: 'GetCampaign', auth: 'jwt' },
  { method: 'POST', path: '/campaigns/{id}/send', functionKey: 'SendCampaign', auth: 'jwt' },
  { method: 'POST', path: '/campaigns/{id}/pause', functionKey: 'PauseCampaign', auth: 'jwt' },
  { method: 'POST', path: '/campaigns/{id}/resume', functionKey: 'ResumeCampaign', auth: 'jwt' },
  { method: 'POST', path: '/campaigns/{id}/cancel', functionKey: 'CancelCampaign', auth: 'jwt' },
  { method: 'POST', path: '/templates', functionKey: 'CreateTemplate', auth: 'jwt' },
  { method: 'GET', path: '/templates', functionKey: 'ListTemplates', auth: 'jwt' },
  { method: 'GET', path: '/templates/{id}', functionKey: 'GetTemplate', auth: 'jwt' },
  { method: 'PATCH', path: '/templates/{id}', functionKey: 'UpdateTemplate', auth: 'jwt' },
  { method: 'POST', path: '/templates/{id}/preview', functionKey: 'PreviewTemplate', auth: 'jwt' },
  { method: 'POST', path: '/segments', functionKey: 'CreateSegment', auth: 'jwt' },
  { method: 'GET', path: '/segments', functionKey: 'ListSegments', auth: 'jwt' },
  { method: 'GET', path: '/segments/{id}', functionKey: 'GetSegment', auth: 'jwt' },
  { method: 'GET', path: '/segments/{id}/preview', functionKey: 'PreviewSegment', auth: 'jwt' },
  { method: 'GET', path: '/marketing-settings', functionKey: 'GetMarketingSettings', auth: 'jwt' },
  { method: 'PUT', path: '/marketing-settings', functionKey: 'PutMarketingSettings', auth: 'jwt' },
  // Public: the links in marketing mail (RFC 8058 one-click POST; GET shows a confirmation page); the signed token authorizes.
  { method: 'GET', path: '/unsubscribe/{token}', functionKey: 'ShowUnsubscribe', auth: 'none' },
  { method: 'POST', path: '/unsubscribe/{token}', functionKey: 'Unsubscribe', auth: 'none' },
  { method: 'GET', path: '/suppressions', functionKey: 'ListSuppressions', auth: 'jwt' },
  { method: 'POST', path: '/suppressions', functionKey: 'AddSuppression', auth: 'jwt' },
  { method: 'DELETE', path: '/suppressions/{email}', functionKey: 'RemoveSuppression', auth: 'jwt' },
  { method: 'POST', path: '/automations', functionKey: 'CreateAutomation', auth: 'jwt' },
  { method: 'GET', path: '/automations', functionKey: 'ListAutomations', auth: 'jwt' },
  { method: 'GET', path: '/automations/{id}', functionKey: 'GetAutomation', auth: 'jwt' },
  { method: 'PATCH', path: '/automations/{id}', functionKey: 'UpdateAutomation', auth: 'jwt' },
  { method: 'DELETE', path: '/automations/{id}', functionKey: 'DeleteAutomation', auth: 'jwt' },
];
