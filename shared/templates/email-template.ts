import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { text } from '../customers/fields';
import { Forbidden, NotFound, ValidationFailed } from '../errors';
import type { TemplateContent } from './template-placeholders';

/** Marketing email templates (docs/marketing.md): stored in the tenant's partition and as SES v2 templates. */

export const TEMPLATE_LIMITS = { subject: 500, html: 200_000, text: 100_000, bytes: 350_000 } as const;
/** The route accepts bodies this large (HTML mails are big); the item stays under DynamoDB's 400 KB. */
export const TEMPLATE_MAX_BODY_BYTES = 384 * 1024;

const part = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const createTemplateInput = z.strictObject({
  name: text(200),
  description: z.optional(text(1000)),
  subject: part(TEMPLATE_LIMITS.subject),
  html: part(TEMPLATE_LIMITS.html),
  text: part(TEMPLATE_LIMITS.text),
});
export type CreateTemplateInput = z.output<typeof createTemplateInput>;

/** JSON Merge Patch: a field present replaces the stored one; `description: null` clears it. */
export const templatePatch = z.strictObject({
  name: z.optional(text(200)),
  description: z.optional(z.nullable(text(1000))),
  subject: z.optional(part(TEMPLATE_LIMITS.subject)),
  html: z.optional(part(TEMPLATE_LIMITS.html)),
  text: z.optional(part(TEMPLATE_LIMITS.text)),
});
export type TemplatePatch = z.output<typeof templatePatch>;

export const previewTemplateInput = z.strictObject({
  customerId: z.string().check(z.minLength(1), z.maxLength(64)),
  /** A contact of a company customer fills the `contact.*` placeholders; without one they are empty. */
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
export type PreviewTemplateInput = z.output<typeof previewTemplateInput>;

export interface EmailTemplate extends TemplateContent {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  /** The checked placeholders the parts use (`customer.name`...): the data a send must supply. */
  placeholders: string[];
  /** The SES v2 template holding the same content (placeholders compiled, see sesTemplateContent). */
  sesTemplateName: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export class TemplateNotFound extends NotFound {
  constructor(templateId: string) {
    super(`Template ${templateId} not found`);
  }
}

/** Marketers and admins write templates; anyone of the tenant reads them (they hold no customer data). */
export function assertCanWriteTemplates(caller: Caller): void {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins may change templates');
}

export { sesTemplateName, sesTemplatePrefix } from './ses-template-name';

/** The parts together must fit one DynamoDB item (and SES's 500 KB). */
export function assertTemplateFits(content: TemplateContent): void {
  const bytes = Buffer.byteLength(content.subject) + Buffer.byteLength(content.html) + Buffer.byteLength(content.text);
  if (bytes > TEMPLATE_LIMITS.bytes) throw new ValidationFailed([{ path: 'html', message: `Subject, html and text together exceed ${TEMPLATE_LIMITS.bytes} bytes` }]);
}

export function templateView(template: EmailTemplate) {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    subject: template.subject,
    html: template.html,
    text: template.text,
    placeholders: template.placeholders,
    sesTemplateName: template.sesTemplateName,
    createdAt: template.createdAt,
    createdBy: template.createdBy,
    updatedAt: template.updatedAt,
    updatedBy: template.updatedBy,
    version: template.version,
  };
}
