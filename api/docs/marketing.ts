import * as z from 'zod/mini';
import { createTemplateInput, previewTemplateInput, templatePatch, type templateView } from '../../shared/templates/email-template';
import { MARKETING_SETTINGS_DEFAULTS, marketingSettingsInput, type marketingSettingsView } from '../../shared/consent/marketing-settings';
import { createSegmentInput, SEGMENT_PREVIEW } from '../../shared/segments/segment';
import { segmentDefinition } from '../../shared/segments/segment-definition';
import { KNOWN_PLACEHOLDERS } from '../../shared/templates/template-placeholders';
import type { previewTemplate } from '../../shared/templates/template-preview-use-case';
import { staleVersionProblemSchema } from '../responses/common';
import type { RouteDescription, RouteKey } from '../route-docs';

const audit = { createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(), updatedBy: z.string(), version: z.number() };
const templateSummary = z.object({ id: z.string(), name: z.string(), description: z.nullable(z.string()), subject: z.string(), placeholders: z.array(z.string()), sesTemplateName: z.string(), ...audit });
export const templateResponse = z.extend(templateSummary, { html: z.string(), text: z.string() });
const templatePreviewResponse = z.object({
  templateId: z.string(), version: z.number(), customerId: z.string(), contactId: z.nullable(z.string()), subject: z.string(), html: z.string(), text: z.string(),
});
export const segmentResponse = z.object({ id: z.string(), name: z.string(), description: z.nullable(z.string()), definition: segmentDefinition, ...audit });
const segmentPreviewResponse = z.object({
  segmentId: z.string(),
  count: z.number(),
  sample: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), lifecycleStage: z.string(), ownerId: z.nullable(z.string()), poolId: z.nullable(z.string()), tags: z.array(z.string()), updatedAt: z.string() })),
  evaluatedAt: z.string(),
  scanned: z.number(),
  complete: z.boolean(),
  index: z.string(),
  partitions: z.number(),
});

const marketingSettingsResponse = z.object({
  frequencyCap: z.object({ maxEmails: z.number(), windowDays: z.number() }),
  offerLockDays: z.number(),
  isDefault: z.boolean(),
  version: z.number(),
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
});
const settingsDefaults = `${MARKETING_SETTINGS_DEFAULTS.frequencyCap.maxEmails} emails per ${MARKETING_SETTINGS_DEFAULTS.frequencyCap.windowDays} days, offers locked for ${MARKETING_SETTINGS_DEFAULTS.offerLockDays} days`;

const id = (what: string) => ({ id: `${what} id` });
const writers = 'Only marketers and admins may change templates (`forbidden`).';
const segmentUsers = 'Only marketers and admins use segments (`forbidden`).';
const placeholders =
  `Placeholders are \`{{field}}\` with one of ${KNOWN_PLACEHOLDERS.map((p) => `\`${p}\``).join(', ')}; ` +
  'an unknown one, a custom field the tenant has not defined, or any other Handlebars construct (helpers, blocks, `{{{raw}}}`) answers 400 naming the part (`subject`, `html`, `text`).';

/** Marketing: email templates (stored as SES v2 templates) and segments. */
export const MARKETING_ROUTES: Readonly<Record<RouteKey, RouteDescription>> = {
  'POST /templates': {
    summary: 'Create an email template',
    description: `Stores the template in the tenant and as an SES v2 template (\`sesTemplateName\`) for sending. ${placeholders} Bodies up to 384 KB. Marketers and admins.`,
    tags: ['Marketing'],
    requestBody: { schema: createTemplateInput, description: 'The template. Unknown fields are rejected by name.' },
    success: { status: 201, description: 'Created.', schema: templateResponse, headers: ['Location', 'ETag'] },
    errors: { 400: `The body fails the schema or names an unknown placeholder (\`validation-failed\`). ${placeholders}`, 403: writers },
  },
  'GET /templates': {
    summary: "The tenant's email templates",
    description: 'Every template, oldest first, without `html` and `text`. Any user of the tenant (templates hold no customer data). One Query.',
    tags: ['Marketing'],
    success: { status: 200, description: 'The templates.', schema: z.object({ items: z.array(templateSummary) }) },
  },
  'GET /templates/{id}': {
    summary: 'Read an email template',
    description: 'Any user of the tenant. The ETag is the version to send back in If-Match when editing.',
    tags: ['Marketing'],
    pathParameters: id('Template'),
    success: { status: 200, description: 'The template.', schema: templateResponse, headers: ['ETag'] },
    errors: { 404: 'No such template in your tenant (`not-found`).' },
  },
  'PATCH /templates/{id}': {
    summary: 'Update an email template (JSON Merge Patch)',
    description:
      'A field present replaces the stored one; `description: null` clears it. The SES template is updated after the change is stored; a patch that changes nothing ' +
      `writes the SES template again (a repair after a failed SES write). ${placeholders} Marketers and admins.`,
    tags: ['Marketing'],
    pathParameters: id('Template'),
    requestBody: { schema: templatePatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
    ifMatch: true,
    success: { status: 200, description: 'The template after the change.', schema: templateResponse, headers: ['ETag'] },
    errors: {
      400: `The body fails the schema, names an unknown placeholder, or If-Match is not an ETag such as "3" (\`validation-failed\`).`,
      403: writers,
      404: 'No such template in your tenant (`not-found`).',
      412: { description: 'The template changed since the version in If-Match (`precondition-failed`); the body names the current version.', schema: staleVersionProblemSchema },
    },
  },
  'POST /templates/{id}/preview': {
    summary: 'Render a template for one customer',
    description:
      'The subject, html and text exactly as SES sends them to this customer: the same data and substitution; values are HTML-escaped in the html part only, ' +
      'a field without a value renders empty. `contactId` (a contact of a company customer) fills the `contact.*` placeholders; without it they are empty. ' +
      'Whoever may read the customer may preview for them.',
    tags: ['Marketing'],
    pathParameters: id('Template'),
    requestBody: { schema: previewTemplateInput, description: 'Whom to render for.' },
    success: { status: 200, description: 'The rendered parts.', schema: templatePreviewResponse },
    errors: { 404: 'No such template, or a customer (or contact) you cannot read (`not-found`).', 410: 'The customer was merged or erased.' },
  },
  'POST /segments': {
    summary: 'Save a segment',
    description:
      'A saved filter over customer attributes. Every criterion is optional; criteria combine with AND, a list inside one means "any of" (`tags.all`: all of). ' +
      'Ranges (`lastActivityAt`: the last follow-up a user logged; `lastPurchaseAt`: the last won deal) take `after`/`before` timestamps and `withinDays`/`notWithinDays` ' +
      'relative to the evaluation; a customer without a value matches only with `never: true`. `customFields` conditions must fit the field\'s type. Marketers and admins.',
    tags: ['Marketing'],
    requestBody: { schema: createSegmentInput, description: 'The segment. Unknown fields are rejected by name.' },
    success: { status: 201, description: 'Saved.', schema: segmentResponse, headers: ['Location', 'ETag'] },
    errors: { 400: 'The body fails the schema, or a custom field condition names an undefined key or does not fit its type (`definition.customFields.<key>`).', 403: segmentUsers },
  },
  'GET /segments': {
    summary: "The tenant's segments",
    description: 'Every segment, oldest first. Marketers and admins. One Query.',
    tags: ['Marketing'],
    success: { status: 200, description: 'The segments.', schema: z.object({ items: z.array(segmentResponse) }) },
    errors: { 403: segmentUsers },
  },
  'GET /segments/{id}': {
    summary: 'Read a segment',
    description: 'Marketers and admins.',
    tags: ['Marketing'],
    pathParameters: id('Segment'),
    success: { status: 200, description: 'The segment.', schema: segmentResponse, headers: ['ETag'] },
    errors: { 403: segmentUsers, 404: 'No such segment in your tenant (`not-found`).' },
  },
  'GET /segments/{id}/preview': {
    summary: 'Count a segment and show a sample',
    description:
      'Evaluates the segment now: Queries the narrowest index its definition allows (owners\' books, else pools\' books, else stage lists, else the tenant list; ' +
      '`index`, `partitions`) page by page and applies the other criteria to each customer. Answers the number of matching customers, the first `sample` of them ' +
      '(most recently updated first), `evaluatedAt` and `scanned` (index items read: the cost). Reads at most `budget` items; when the segment\'s partitions hold ' +
      'more, `count` covers what was read and `complete` is false. No table Scan: the cost is bounded by the tenant\'s customers in those partitions.',
    tags: ['Marketing'],
    pathParameters: id('Segment'),
    queryParameters: {
      sample: { description: `Customers to list (0-${SEGMENT_PREVIEW.sample.max}, default ${SEGMENT_PREVIEW.sample.default}).`, schema: z.string() },
      budget: { description: `Index items to read at most (1-${SEGMENT_PREVIEW.budget.max}, default ${SEGMENT_PREVIEW.budget.default}).`, schema: z.string() },
    },
    success: { status: 200, description: 'The count, a sample and the cost.', schema: segmentPreviewResponse },
    errors: { 400: 'A query parameter is out of range (`query.sample`, `query.budget`).', 403: segmentUsers, 404: 'No such segment in your tenant (`not-found`).' },
  },
  'GET /marketing-settings': {
    summary: "The tenant's marketing settings",
    description:
      'The frequency cap (at most `maxEmails` marketing emails per customer in any rolling `windowDays`, across campaigns and automations) and the default ' +
      `offer lock length in days. Until a marketer saves them: the defaults (${settingsDefaults}), \`isDefault: true\`, version 0 (ETag "0"). Any user of the tenant.`,
    tags: ['Marketing'],
    success: { status: 200, description: 'The settings.', schema: marketingSettingsResponse, headers: ['ETag'] },
  },
  'PUT /marketing-settings': {
    summary: 'Replace the marketing settings',
    description:
      'Replaces the whole settings (`offerLockDays` left out: the default). `maxEmails` 1-100, `windowDays` 1-90, `offerLockDays` 1-90. ' +
      'If-Match names the version edited (`"0"` for the defaults). Sends reserved from then on use the new cap; sends already recorded still count. Marketers and admins.',
    tags: ['Marketing'],
    requestBody: { schema: marketingSettingsInput, description: 'The whole settings. Unknown fields are rejected by name.' },
    ifMatch: true,
    success: { status: 200, description: 'The settings stored.', schema: marketingSettingsResponse, headers: ['ETag'] },
    errors: {
      400: 'The body fails the schema (`frequencyCap.maxEmails`, `frequencyCap.windowDays`, `offerLockDays`), or If-Match is not an ETag such as "3" (`validation-failed`).',
      403: 'Only marketers and admins may change marketing settings (`forbidden`).',
      412: { description: 'The settings changed since the version in If-Match (`precondition-failed`); the body names the current version.', schema: staleVersionProblemSchema },
    },
  },
};

// The documented responses must describe what the code returns (compile-time only).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _MarketingResponsesMatchTheCode = [
  Holds<Same<z.output<typeof templateResponse>, ReturnType<typeof templateView>>>,
  Holds<Same<z.output<typeof templatePreviewResponse>, Awaited<ReturnType<typeof previewTemplate>>>>,
  Holds<Same<z.output<typeof marketingSettingsResponse>, ReturnType<typeof marketingSettingsView>>>,
];
