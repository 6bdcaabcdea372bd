import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import { ValidationFailed } from '../errors';
import { newId } from '../ids';
import {
  assertCanWriteTemplates,
  assertTemplateFits,
  type CreateTemplateInput,
  type EmailTemplate,
  sesTemplateName,
  type TemplatePatch,
  TemplateNotFound,
} from './email-template';
import type { SesTemplates } from './ses-template-gateway';
import { checkPlaceholders, type TemplateContent } from './template-placeholders';
import { StaleTemplate, type TemplateRepository } from './template-repository';

export interface TemplateWriteDeps {
  templates: Pick<TemplateRepository, 'get' | 'create' | 'replace'>;
  ses: SesTemplates;
  customFields: CustomFieldCatalog;
  stage: string;
}

/** The placeholders of the content, checked; custom field definitions are read only when a placeholder names one. */
async function checkedPlaceholders(customFields: CustomFieldCatalog, tenantId: string, content: TemplateContent): Promise<string[]> {
  assertTemplateFits(content);
  const usesCustomFields = [content.subject, content.html, content.text].some((part) => part.includes('customFields.'));
  const keys = usesCustomFields ? new Set((await customFields.list(tenantId, 'customer')).map((d) => d.key)) : new Set<string>();
  const { placeholders, errors } = checkPlaceholders(content, keys);
  if (errors.length) throw new ValidationFailed(errors);
  return placeholders;
}

/**
 * POST /templates: marketers and admins. The SES template is written first (its name is new, so
 * nothing else can be writing it), then the item; a failure in between leaves an SES template no
 * item names, which a retry does not reuse (new id) and costs nothing but a slot of SES's quota.
 */
export async function createTemplate(deps: TemplateWriteDeps, caller: Caller, input: CreateTemplateInput): Promise<EmailTemplate> {
  assertCanWriteTemplates(caller);
  const content = { subject: input.subject, html: input.html, text: input.text };
  const placeholders = await checkedPlaceholders(deps.customFields, caller.tenantId, content);
  const id = newId();
  const now = clock.nowIso();
  const template: EmailTemplate = {
    id,
    tenantId: caller.tenantId,
    name: input.name,
    description: input.description ?? null,
    ...content,
    placeholders,
    sesTemplateName: sesTemplateName(deps.stage, caller.tenantId, id),
    createdAt: now,
    createdBy: caller.userId,
    updatedAt: now,
    updatedBy: caller.userId,
    version: 1,
  };
  await deps.ses.put(template.sesTemplateName, content, 'create');
  await deps.templates.create(template);
  return template;
}

export async function getTemplate(templates: Pick<TemplateRepository, 'get'>, caller: Caller, templateId: string, consistent = false): Promise<EmailTemplate> {
  const template = await templates.get(caller.tenantId, templateId, consistent);
  if (!template) throw new TemplateNotFound(templateId);
  return template;
}

/** GET /templates: any user of the tenant (templates hold no customer data); names and subjects, not bodies. */
export async function listTemplates(templates: Pick<TemplateRepository, 'list'>, caller: Caller) {
  return (await templates.list(caller.tenantId)).map(({ tenantId: _tenant, ...summary }) => summary);
}

/**
 * PATCH /templates/{id}: JSON Merge Patch at the version the client read (412 when stale). The item is the
 * record: its conditional write decides between concurrent edits, then SES gets the winner's
 * content. A patch that changes nothing writes SES again, so repeating a request whose SES write
 * failed repairs the copy.
 */
export async function updateTemplate(deps: TemplateWriteDeps, caller: Caller, templateId: string, patch: TemplatePatch, expectedVersion: number): Promise<EmailTemplate> {
  assertCanWriteTemplates(caller);
  const before = await getTemplate(deps.templates, caller, templateId, true);
  if (before.version !== expectedVersion) throw new StaleTemplate(before.version);
  const content = { subject: patch.subject ?? before.subject, html: patch.html ?? before.html, text: patch.text ?? before.text };
  const after: EmailTemplate = {
    ...before,
    ...content,
    name: patch.name ?? before.name,
    description: patch.description === undefined ? before.description : patch.description,
  };
  const changed = (['name', 'description', 'subject', 'html', 'text'] as const).some((f) => after[f] !== before[f]);
  if (!changed) {
    await deps.ses.put(before.sesTemplateName, before, 'update');
    return before;
  }
  after.placeholders = await checkedPlaceholders(deps.customFields, caller.tenantId, content);
  Object.assign(after, { updatedAt: clock.nowIso(), updatedBy: caller.userId, version: before.version + 1 });
  await deps.templates.replace(after, before.version);
  await deps.ses.put(after.sesTemplateName, content, 'update');
  return after;
}
