import type * as z from 'zod/mini';
import { logActivityInput } from '../shared/activities/activity';
import { addContactInput, contactPatch } from '../shared/contacts/contact';
import { addressSchema, createCustomerInput, customerPatch } from '../shared/customers/customer';
import { mergeCustomersInput } from '../shared/customers/customer-merge';
import { checkDuplicatesInput } from '../shared/customers/duplicate-check-input';
import { consentInput, domain, email, phone, website } from '../shared/customers/fields';
import { defineCustomFieldInput } from '../shared/custom-fields/custom-field-definition';
import { customFieldsInput } from '../shared/custom-fields/custom-field-values';
import {
  activityPageResponse,
  activityResponse,
  consentRecord,
  contactResponse,
  customer360Response,
  customerExportResponse,
  customerResponse,
  customFieldListResponse,
  customFieldResponse,
  duplicateCustomerProblemSchema,
  duplicateMatchesResponse,
  fieldErrorSchema,
  gatewayErrorSchema,
  healthResponse,
  openApiResponse,
  problemDetailsSchema,
  staleVersionProblemSchema,
} from './responses/common';
import { poolListResponse, poolResponse } from './responses/pools';
import { directoryUserPageResponse, directoryUserResponse } from './responses/users';
import { createPoolInput, poolPatch } from '../shared/pools/pool';
import { reclaimPolicySchema } from '../shared/pools/reclaim-policy';
import { putUserInput } from '../shared/users/user';

/**
 * How a route is documented: every row of the route table (route.ts, routes/<area>.ts) carries a
 * `RouteDescription` as its `doc`, so a route cannot exist undocumented. Request bodies are the
 * schemas the handlers validate with, imported, never copied.
 *
 * Errors every route of a kind can answer are added by the builder (openapi.ts), not listed in a
 * description: 401 on JWT routes, 400/413/415 on routes with a body, 428 on routes that need
 * If-Match, 500 everywhere. An entry in `errors` replaces the generic description of that status
 * for its route.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 428 | 429;

export const API_TAGS = {
  System: 'Liveness and this description.',
  Customers: 'Companies and persons a tenant sells to or serves.',
  Activities: "A customer's timeline: notes, calls, visits, purchases...",
  Contacts: 'People at a company customer.',
  Search: 'Customers, contacts, leads and deals by a word of a name, an email, a phone or a domain.',
  CustomFields: "The tenant's own typed fields on customers, defined by its admins.",
  Allocation: 'Who owns a customer: claims from pools, releases into them, assignments and transfers, locks against reclaim.',
  Pools: 'Public pools of unowned customers: members, routing, reclaim policy, and the customers waiting in them.',
  Users: "The tenant's users: invitations into the user pool, groups, teams, managers, deactivation; names behind user ids.",
  Pipelines: 'Sales pipelines: ordered stages with win probabilities, and their boards.',
  Deals: 'Deals of customers moving through a pipeline, and the forecast.',
  Tasks: 'Follow-up work: calls, emails, meetings and to-dos due at a time, with reminders; completing one writes the timeline.',
  Processes: 'Customer processes: the product catalog, quotes, and the approval processes (policies, inboxes, decisions) they go through.',
  Service: 'Customer service: cases with a thread of replies and notes, worked by agents from a queue.',
  Integrations: 'Data in and out: CSV imports and exports of customers, and webhooks that receive the CRM\'s events, signed.',
  Marketing: 'Email templates (stored as SES templates), segments of customers, event-triggered automations, and the frequency cap and offer lock settings.',
  Leads: 'Prospects before they are customers: capture, scoring with explanation, qualification, routing to reps.',
  Forms: 'Public web forms that capture leads without an account.',
} as const;
export type ApiTag = keyof typeof API_TAGS;

export interface ParameterDescription {
  description: string;
  /** Documentation only: the handler parses query strings itself. */
  schema: z.ZodMiniType;
  required?: boolean;
}

export interface ErrorDescription {
  description: string;
  /** problem+json body; ProblemDetails unless given. */
  schema?: z.ZodMiniType;
}

export interface RouteDescription {
  summary: string;
  description: string;
  tags: readonly ApiTag[];
  /** Every `{name}` of the path, with its meaning. */
  pathParameters?: Readonly<Record<string, string>>;
  queryParameters?: Readonly<Record<string, ParameterDescription>>;
  requestBody?: {
    /** The very schema the handler passes to `httpHandler({ body })`. */
    schema: z.ZodMiniType;
    description: string;
    /** JSON Merge Patch (RFC 7396): documented as `application/merge-patch+json` too. */
    mergePatch?: boolean;
    /** A page's plain `<form>` may post it too: documented as `application/x-www-form-urlencoded` (fields as strings). */
    formEncoded?: boolean;
  };
  /**
   * The route answers 428 without `If-Match` and 412 when it names an old version; `optional`:
   * no 428, the header is checked only when sent.
   */
  ifMatch?: boolean | 'optional';
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema?: z.ZodMiniType;
    headers?: readonly ('ETag' | 'Location')[];
  };
  /** A second success answer of the same route (a case form's 201 beside a lead form's 200). */
  alsoSuccess?: { status: 200 | 201 | 202; description: string; schema?: z.ZodMiniType };
  /** A 303 See Other with `Location` (a plain HTML form post sent on to its thank-you page). */
  seeOther?: string;
  errors?: Partial<Record<ErrorStatus, string | ErrorDescription>>;
}

/**
 * Schemas that become `components.schemas` under these names (the rest are inlined). A request
 * or response schema of a route that is not named here is named after its route's function.
 */
export const NAMED_SCHEMAS: readonly (readonly [string, z.ZodMiniType])[] = [
  ['CreateCustomerInput', createCustomerInput],
  ['CustomerPatch', customerPatch],
  ['MergeCustomersInput', mergeCustomersInput],
  ['CheckDuplicatesInput', checkDuplicatesInput],
  ['LogActivityInput', logActivityInput],
  ['AddContactInput', addContactInput],
  ['ContactPatch', contactPatch],
  ['DefineCustomFieldInput', defineCustomFieldInput],
  ['CreatePoolInput', createPoolInput],
  ['PoolPatch', poolPatch],
  ['ReclaimPolicy', reclaimPolicySchema],
  ['PutUserInput', putUserInput],
  ['Address', addressSchema],
  ['ConsentRecord', consentRecord],
  ['Customer', customerResponse],
  ['Customer360', customer360Response],
  ['CustomerExport', customerExportResponse],
  ['DuplicateMatches', duplicateMatchesResponse],
  ['Contact', contactResponse],
  ['CustomField', customFieldResponse],
  ['CustomFieldList', customFieldListResponse],
  ['Pool', poolResponse],
  ['PoolList', poolListResponse],
  ['DirectoryUser', directoryUserResponse],
  ['DirectoryUserPage', directoryUserPageResponse],
  ['Activity', activityResponse],
  ['ActivityPage', activityPageResponse],
  ['Health', healthResponse],
  ['OpenApiDocument', openApiResponse],
  ['ProblemDetails', problemDetailsSchema],
  ['FieldError', fieldErrorSchema],
  ['DuplicateCustomerProblem', duplicateCustomerProblemSchema],
  ['StaleVersionProblem', staleVersionProblemSchema],
  ['GatewayError', gatewayErrorSchema],
];

/**
 * What the field schemas in shared/customers/fields.ts accept, for readers of the document. Kept
 * here so documenting does not touch the schemas; applied wherever the schema appears.
 */
export const FIELD_NOTES: ReadonlyMap<z.core.$ZodType, Readonly<Record<string, unknown>>> = new Map<z.core.$ZodType, Record<string, unknown>>([
  [email, { description: 'Stored trimmed and lower case.' }],
  [phone, { description: 'An international number with its country code; stored as E.164.', examples: ['+49 30 1234567', '0044 20 7946 0018'] }],
  [website, { description: 'A website as people type it; stored as an http(s) URL (https:// is assumed).', examples: ['acme.example', 'https://acme.example/about'] }],
  [domain, { description: 'A web domain or a website; stored as the lower-case host.', examples: ['acme.example'] }],
  [consentInput, { description: 'Topic (a slug such as `marketing`) -> opted in (true) or out (false). Topics merge one by one.', examples: [{ marketing: true }] }],
  [
    customFieldsInput,
    {
      description:
        "Key -> value of the tenant's custom fields (GET /custom-fields); each value must have its field's type. In a PATCH the keys merge one by one: a key present replaces its value, `null` removes it, missing keys stay.",
      examples: [{ contractEnd: '2027-03-31', seats: 25, modules: ['crm', 'billing'] }],
    },
  ],
]);
