import * as z from 'zod/mini';
import { createTemplateInput, previewTemplateInput, templatePatch, type templateView } from '../../shared/templates/email-template';
import { KNOWN_PLACEHOLDERS } from '../../shared/templates/template-placeholders';
import type { previewTemplate } from '../../shared/templates/template-preview-use-case';
import { auditFields, staleVersion } from '../responses/common';
import { areaRoutes } from '../route';

const templateSummary = z.object({ id: z.string(), name: z.string(), description: z.nullable(z.string()), subject: z.string(), placeholders: z.array(z.string()), sesTemplateName: z.string(), ...auditFields });
const templateResponse = z.extend(templateSummary, { html: z.string(), text: z.string() });
const templatePreviewResponse = z.object({
  templateId: z.string(), version: z.number(), customerId: z.string(), contactId: z.nullable(z.string()), subject: z.string(), html: z.string(), text: z.string(),
});

const id = { id: 'Template id' };
const writers = 'Only marketers and admins may change templates (`forbidden`).';
const placeholders =
  `Placeholders are \`{{field}}\` with one of ${KNOWN_PLACEHOLDERS.map((p) => `\`${p}\``).join(', ')}; ` +
  'an unknown one, a custom field the tenant has not defined, or any other Handlebars construct (helpers, blocks, `{{{raw}}}`) answers 400 naming the part (`subject`, `html`, `text`).';

/** Email templates, stored as SES v2 templates too (docs/marketing.md). */
export const TEMPLATES_ROUTES = areaRoutes('templates', 'marketing', [
  {
    method: 'POST',
    path: '/templates',
    auth: 'jwt',
    handler: 'functions/templates/create-template.ts',
    access: { table: 'readWrite', sesTemplates: 'write' },
    doc: {
      summary: 'Create an email template',
      description: `Stores the template in the tenant and as an SES v2 template (\`sesTemplateName\`) for sending. ${placeholders} Bodies up to 384 KB. Marketers and admins.`,
      tags: ['Marketing'],
      requestBody: { schema: createTemplateInput, description: 'The template. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created.', schema: templateResponse, headers: ['Location', 'ETag'] },
      errors: { 400: `The body fails the schema or names an unknown placeholder (\`validation-failed\`). ${placeholders}`, 403: writers },
    },
  },
  {
    method: 'GET',
    path: '/templates',
    auth: 'jwt',
    handler: 'functions/templates/list-templates.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's email templates",
      description: 'Every template, oldest first, without `html` and `text`. Any user of the tenant (templates hold no customer data). One Query.',
      tags: ['Marketing'],
      success: { status: 200, description: 'The templates.', schema: z.object({ items: z.array(templateSummary) }) },
    },
  },
  {
    method: 'GET',
    path: '/templates/{id}',
    auth: 'jwt',
    handler: 'functions/templates/get-template.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read an email template',
      description: 'Any user of the tenant. The ETag is the version to send back in If-Match when editing.',
      tags: ['Marketing'],
      pathParameters: id,
      success: { status: 200, description: 'The template.', schema: templateResponse, headers: ['ETag'] },
      errors: { 404: 'No such template in your tenant (`not-found`).' },
    },
  },
  {
    method: 'PATCH',
    path: '/templates/{id}',
    auth: 'jwt',
    handler: 'functions/templates/update-template.ts',
    access: { table: 'readWrite', sesTemplates: 'write' },
    doc: {
      summary: 'Update an email template (JSON Merge Patch)',
      description:
        'A field present replaces the stored one; `description: null` clears it. The SES template is updated after the change is stored; a patch that changes nothing ' +
        `writes the SES template again (a repair after a failed SES write). ${placeholders} Marketers and admins.`,
      tags: ['Marketing'],
      pathParameters: id,
      requestBody: { schema: templatePatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The template after the change.', schema: templateResponse, headers: ['ETag'] },
      errors: {
        400: `The body fails the schema, names an unknown placeholder, or If-Match is not an ETag such as "3" (\`validation-failed\`).`,
        403: writers,
        404: 'No such template in your tenant (`not-found`).',
        412: staleVersion('template'),
      },
    },
  },
  {
    method: 'POST',
    path: '/templates/{id}/preview',
    auth: 'jwt',
    handler: 'functions/templates/preview-template.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Render a template for one customer',
      description:
        'The subject, html and text exactly as SES sends them to this customer: the same data and substitution; values are HTML-escaped in the html part only, ' +
        'a field without a value renders empty. `contactId` (a contact of a company customer) fills the `contact.*` placeholders; without it they are empty. ' +
        'Whoever may read the customer may preview for them.',
      tags: ['Marketing'],
      pathParameters: id,
      requestBody: { schema: previewTemplateInput, description: 'Whom to render for.' },
      success: { status: 200, description: 'The rendered parts.', schema: templatePreviewResponse },
      errors: { 404: 'No such template, or a customer (or contact) you cannot read (`not-found`).', 410: 'The customer was merged or erased.' },
    },
  },
]);

// The documented responses must describe what the code returns (compile-time only).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _TemplateResponsesMatchTheCode = [
  Holds<Same<z.output<typeof templateResponse>, ReturnType<typeof templateView>>>,
  Holds<Same<z.output<typeof templatePreviewResponse>, Awaited<ReturnType<typeof previewTemplate>>>>,
];
