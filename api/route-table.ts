import type { ApiRoute } from './route';
import { ACTIVITIES_ROUTES } from './routes/activities';
import { AGENTS_ROUTES } from './routes/agents';
import { APPROVALS_ROUTES } from './routes/approvals';
import { ALLOCATION_ROUTES } from './routes/allocation';
import { SYSTEM_ROUTES } from './routes/api';
import { AUTOMATIONS_ROUTES } from './routes/automations';
import { CAMPAIGNS_ROUTES } from './routes/campaigns';
import { CASES_ROUTES } from './routes/cases';
import { CONSENT_ROUTES } from './routes/consent';
import { CONTACTS_ROUTES } from './routes/contacts';
import { CUSTOM_FIELDS_ROUTES } from './routes/custom-fields';
import { CUSTOMERS_ROUTES } from './routes/customers';
import { DEALS_ROUTES } from './routes/deals';
import { FORMS_ROUTES } from './routes/forms';
import { LEADS_ROUTES } from './routes/leads';
import { PIPELINES_ROUTES } from './routes/pipelines';
import { POOLS_ROUTES } from './routes/pools';
import { PRIVACY_ROUTES } from './routes/privacy';
import { PRODUCTS_ROUTES } from './routes/products';
import { QUOTES_ROUTES } from './routes/quotes';
import { WEBHOOKS_ROUTES } from './routes/integrations/webhooks';
import { EXPORTS_ROUTES } from './routes/integrations/exports';
import { IMPORTS_ROUTES } from './routes/integrations/imports';
import { ORDERS_ROUTES } from './routes/orders';
import { CONTRACTS_ROUTES } from './routes/contracts';
import { SEARCH_ROUTES } from './routes/search';
import { SEGMENTS_ROUTES } from './routes/segments';
import { SURVEYS_ROUTES } from './routes/surveys';
import { SLA_POLICIES_ROUTES } from './routes/sla-policies';
import { TASKS_ROUTES } from './routes/tasks';
import { TEMPLATES_ROUTES } from './routes/templates';
import { USERS_ROUTES } from './routes/users';

/**
 * The HTTP API: every area's rows (routes/<area>.ts), in this order, which is also the order of
 * the OpenAPI document. The stacks create one function and route per row, the local runtime serves
 * the same routes because it reads them back from the synthesized templates, and the OpenAPI
 * document describes them. Only infra/ and the `/openapi.json` function load it (eslint.config.js).
 */
export const API_ROUTES: readonly ApiRoute[] = [
  ...SYSTEM_ROUTES,
  ...CUSTOMERS_ROUTES,
  ...PRIVACY_ROUTES,
  ...ACTIVITIES_ROUTES,
  ...CONTACTS_ROUTES,
  ...SEARCH_ROUTES,
  ...CUSTOM_FIELDS_ROUTES,
  ...ALLOCATION_ROUTES,
  ...POOLS_ROUTES,
  ...USERS_ROUTES,
  ...PIPELINES_ROUTES,
  ...DEALS_ROUTES,
  ...TASKS_ROUTES,
  ...CASES_ROUTES,
  ...SLA_POLICIES_ROUTES,
  ...AGENTS_ROUTES,
  ...SURVEYS_ROUTES,
  ...PRODUCTS_ROUTES,
  ...QUOTES_ROUTES,
  ...WEBHOOKS_ROUTES,
  ...EXPORTS_ROUTES,
  ...IMPORTS_ROUTES,
  ...APPROVALS_ROUTES,
  ...ORDERS_ROUTES,
  ...CONTRACTS_ROUTES,
  ...LEADS_ROUTES,
  ...FORMS_ROUTES,
  ...CAMPAIGNS_ROUTES,
  ...TEMPLATES_ROUTES,
  ...SEGMENTS_ROUTES,
  ...CONSENT_ROUTES,
  ...AUTOMATIONS_ROUTES,
];
