import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { caseCategory, CASE_TEXT_MAX } from '../cases/case';
import { email, text } from '../customers/fields';
import { FORM_SECRET_PATTERN, TENANT_ID_PATTERN } from '../id-formats';

/**
 * Public web forms (docs/leads.md#forms): an admin creates a form and embeds its key in a web
 * page; anyone may submit it without an account. Pure and free of the AWS SDK.
 */

/** What a submission becomes: a lead (the default, and every form stored before purposes) or a service case. */
export const FORM_PURPOSES = ['lead', 'case'] as const;
export type FormPurpose = (typeof FORM_PURPOSES)[number];
export const DEFAULT_CASE_CATEGORIES = ['general'] as const;
/** The priorities a visitor may ask for: never above `normal` (nobody from the internet opens urgent cases). */
export const PUBLIC_CASE_PRIORITIES = ['low', 'normal'] as const;

/**
 * Where a page's plain HTML post is sent on (303): https, or http on this machine only (a page a
 * developer serves locally); no credentials, since the URL is handed to every visitor's browser.
 */
export function thankYouUrlRefusal(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Expected an absolute URL such as https://www.example.com/thank-you';
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return 'Expected an https URL (http only for localhost)';
  if (url.username || url.password) return 'Put no credentials in the URL: every visitor is sent to it';
  return undefined;
}

const thankYouUrl = z.string().check(
  z.maxLength(2048),
  z.superRefine((value, ctx) => {
    const refusal = thankYouUrlRefusal(value);
    if (refusal) ctx.addIssue({ code: 'custom', input: value, message: refusal });
  }),
);

export const createFormInput = z.strictObject({
  name: text(200),
  purpose: z._default(z.enum(FORM_PURPOSES), 'lead'),
  /** Case forms: the categories a visitor may pick, the first one the default (default `['general']`). */
  caseCategories: z.optional(z.array(caseCategory).check(z.minLength(1), z.maxLength(50))),
  /** The lead `source` of submissions that name none (e.g. `website`, `webinar-2026`). */
  source: z.optional(text(100)),
  /** Submissions per source IP and minute; more answer 429. */
  rateLimitPerMinute: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
  /** A field the page hides from people; a bot that fills it gets a 200 and nothing is stored. */
  honeypotField: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/, 'Expected a field name such as website_url'))),
  /** Where a plain HTML post (`application/x-www-form-urlencoded`) is answered 303 to; without it, a small thank-you page. */
  thankYouUrl: z.optional(thankYouUrl),
});
export type CreateFormInput = z.output<typeof createFormInput>;

export interface Form {
  id: string;
  tenantId: string;
  /** Unguessable half of the public key; the form's partition key holds it, nothing else does. */
  secret: string;
  name: string;
  /** Absent on forms stored before purposes: those are lead forms. */
  purpose?: FormPurpose;
  /** Case forms only: the categories a visitor may pick, the first the default. */
  caseCategories?: string[];
  source: string | null;
  rateLimitPerMinute: number;
  honeypotField: string;
  honeypotCount: number;
  /** Absent on forms stored before HTML posts were answered with a redirect. */
  thankYouUrl?: string | null;
  active: boolean;
  createdAt: string;
  createdBy: string;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 10;
export const DEFAULT_HONEYPOT_FIELD = 'website_url';

const SECRET = FORM_SECRET_PATTERN;
const TENANT = TENANT_ID_PATTERN;

/** `<tenantId>.<secret>`: the tenant in the key keeps the lookup inside that tenant's keys. */
export function formKey(form: Pick<Form, 'tenantId' | 'secret'>): string {
  return `${form.tenantId}.${form.secret}`;
}

export function parseFormKey(value: string | undefined): { tenantId: string; secret: string } | undefined {
  const dot = value?.lastIndexOf('.') ?? -1;
  if (!value || dot < 0) return undefined;
  const tenantId = value.slice(0, dot);
  const secret = value.slice(dot + 1);
  return TENANT.test(tenantId) && SECRET.test(secret) ? { tenantId, secret } : undefined;
}

export function newForm(input: Omit<CreateFormInput, 'purpose'> & { purpose?: FormPurpose }, context: { id: string; tenantId: string; secret: string; userId: string; nowIso: string }): Form {
  return {
    id: context.id,
    tenantId: context.tenantId,
    secret: context.secret,
    name: input.name,
    purpose: input.purpose ?? 'lead',
    ...(input.purpose === 'case' ? { caseCategories: [...new Set(input.caseCategories ?? DEFAULT_CASE_CATEGORIES)] } : {}),
    source: input.source ?? null,
    rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    honeypotField: input.honeypotField ?? DEFAULT_HONEYPOT_FIELD,
    honeypotCount: 0,
    thankYouUrl: input.thankYouUrl ?? null,
    active: true,
    createdAt: context.nowIso,
    createdBy: context.userId,
  };
}

/** A bot filled the field people never see. */
export function trippedHoneypot(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  return value !== undefined && value !== null && value !== '';
}

/** The rate window of a moment: its UTC minute, and the seconds until the next one. */
export function rateWindow(nowMs: number): { window: string; retryAfterSeconds: number; expiresAt: number } {
  const minute = Math.floor(nowMs / 60_000);
  return {
    window: new Date(minute * 60_000).toISOString().slice(0, 16),
    retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - nowMs) / 1000)),
    // Kept a little past its minute: TTL deletes lazily and a late read must still see the count.
    expiresAt: Math.floor(((minute + 5) * 60_000) / 1000),
  };
}

export const formPurpose = (form: Pick<Form, 'purpose'>): FormPurpose => form.purpose ?? 'lead';

export function formView(form: Form) {
  const { secret: _secret, tenantId: _tenantId, ...rest } = form;
  const purpose = formPurpose(form);
  return { ...rest, purpose, thankYouUrl: form.thankYouUrl ?? null, caseCategories: purpose === 'case' ? (form.caseCategories ?? [...DEFAULT_CASE_CATEGORIES]) : null, formKey: formKey(form) };
}

/** A case form's submission (docs/service.md, "Cases from web forms"): strict, the honeypot field taken out first. */
export const caseFormSubmission = z.strictObject({
  email,
  subject: text(300),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(CASE_TEXT_MAX)),
  name: z.optional(text(200)),
  category: z.optional(caseCategory),
  priority: z._default(z.enum(PUBLIC_CASE_PRIORITIES), 'normal'),
});
export type CaseFormSubmission = z.output<typeof caseFormSubmission>;

/** The fields of a case submission, without the honeypot field (present, empty, on every real page). */
export function withoutHoneypot(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _honeypot, ...rest } = body;
  return rest;
}

/** The category a case submission gets: the form's first when none is named; one the form does not offer is refused. */
export function caseCategoryOf(form: Pick<Form, 'caseCategories'>, asked: string | undefined): { category: string } | { error: string } {
  const allowed = form.caseCategories ?? [...DEFAULT_CASE_CATEGORIES];
  if (asked === undefined) return { category: allowed[0] ?? 'general' };
  return allowed.includes(asked) ? { category: asked } : { error: `Expected one of ${allowed.join(', ')}` };
}

/** How long the same submission (address, subject, description) to the same form answers with the first case instead of opening another. */
export const CASE_SUBMISSION_DEDUPE_SECONDS = 10 * 60;

/** What makes two submissions of a case form the same: the address (any case), subject and description, trimmed. */
export function caseSubmissionKey(formId: string, s: Pick<CaseFormSubmission, 'email' | 'subject' | 'description'>): string {
  return createHash('sha256').update(JSON.stringify([formId, s.email.trim().toLowerCase(), s.subject.trim(), s.description.trim()])).digest('base64url');
}

/**
 * Where a plain HTML post goes after it was taken: the form's thank-you URL, with the case id as
 * `reference` for a case form (the visitor's page can show it); undefined means the built-in page.
 */
export function thankYouLocation(form: Pick<Form, 'thankYouUrl'>, reference: string | undefined): string | undefined {
  if (!form.thankYouUrl) return undefined;
  if (reference === undefined) return form.thankYouUrl;
  const url = new URL(form.thankYouUrl);
  url.searchParams.set('reference', reference);
  return url.toString();
}
