import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { FORM_SECRET_PATTERN, TENANT_ID_PATTERN } from '../id-formats';

/**
 * Public web forms (docs/leads.md#forms): an admin creates a form and embeds its key in a web
 * page; anyone may submit it without an account. Pure and free of the AWS SDK.
 */

export const createFormInput = z.strictObject({
  name: text(200),
  /** The lead `source` of submissions that name none (e.g. `website`, `webinar-2026`). */
  source: z.optional(text(100)),
  /** Submissions per source IP and minute; more answer 429. */
  rateLimitPerMinute: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
  /** A field the page hides from people; a bot that fills it gets a 200 and nothing is stored. */
  honeypotField: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/, 'Expected a field name such as website_url'))),
});
export type CreateFormInput = z.output<typeof createFormInput>;

export interface Form {
  id: string;
  tenantId: string;
  /** Unguessable half of the public key; the form's partition key holds it, nothing else does. */
  secret: string;
  name: string;
  source: string | null;
  rateLimitPerMinute: number;
  honeypotField: string;
  honeypotCount: number;
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

export function newForm(input: CreateFormInput, context: { id: string; tenantId: string; secret: string; userId: string; nowIso: string }): Form {
  return {
    id: context.id,
    tenantId: context.tenantId,
    secret: context.secret,
    name: input.name,
    source: input.source ?? null,
    rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    honeypotField: input.honeypotField ?? DEFAULT_HONEYPOT_FIELD,
    honeypotCount: 0,
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

export function formView(form: Form) {
  const { secret: _secret, tenantId: _tenantId, ...rest } = form;
  return { ...rest, formKey: formKey(form) };
}
