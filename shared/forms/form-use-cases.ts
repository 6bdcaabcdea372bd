import { randomBytes } from 'node:crypto';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { clock } from '../clock';
import { Forbidden, FormNotFound, SubmissionRateLimited, ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';
import { newId } from '../ids';
import { captureLead } from '../leads/lead-capture-use-case';
import { formSubmissionInput, type LeadInput } from '../leads/lead';
import { formPostFields } from '../consent/consent-capture';
import { type ConfirmationDeps, doubleOptInOf, mailConfirmation, mailCustomerConfirmation } from '../leads/lead-consent-use-case';
import type { LeadRepository } from '../leads/lead-repository';
import { TransactionConditionFailed } from '../aws/transact-write';
import { openSystemCase, type SystemCaseDeps } from '../cases/system-case';
import {
  CASE_SUBMISSION_DEDUPE_SECONDS,
  caseCategoryOf,
  caseFormSubmission,
  caseSubmissionKey,
  type CreateFormInput,
  type Form,
  formPurpose,
  formView,
  newForm,
  parseFormKey,
  rateWindow,
  thankYouLocation,
  trippedHoneypot,
  withoutHoneypot,
} from './form';
import type { FormRepository } from './form-repository';

interface Deps {
  forms: Pick<FormRepository, 'get' | 'takeRateSlot' | 'countHoneypot' | 'submissionMarker'>;
  leads: LeadRepository;
  /** What a case form opens its case with (shared/cases/system-case.ts). */
  cases: SystemCaseDeps;
  /** The tenant's double opt-in and the confirmation mail. */
  confirmations: ConfirmationDeps;
}

/** Who opens the cases of case forms (docs/service.md, "Cases from web forms"). */
export const WEB_FORM_ACTOR_ID = 'web-form';

const mayManageForms = (caller: Caller) => runsMarketing(caller);

/** POST /forms: admins and marketers. The key is 192 random bits behind the tenant id. */
export async function createForm(deps: { forms: Pick<FormRepository, 'create'> }, caller: Caller, input: CreateFormInput) {
  if (!mayManageForms(caller)) throw new Forbidden('Only admins and marketers create forms');
  if (input.purpose !== 'case' && input.caseCategories) throw new ValidationFailed([{ path: 'caseCategories', message: 'Only case forms (purpose: case) offer categories' }]);
  const form = newForm(input, { id: newId(), tenantId: caller.tenantId, secret: randomBytes(24).toString('base64url'), userId: caller.userId, nowIso: clock.nowIso() });
  await deps.forms.create(form);
  return formView(form);
}

export async function listForms(deps: { forms: Pick<FormRepository, 'list'> }, caller: Caller) {
  if (!mayManageForms(caller)) throw new Forbidden('Only admins and marketers list forms');
  const forms = await deps.forms.list(caller.tenantId);
  return { items: forms.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(formView) };
}

/**
 * What became of a submission. A case form's answer carries the case id as the visitor's
 * `reference`; a honeypot hit on a case form gets a made-up one, so a bot cannot tell.
 */
export type SubmissionOutcome = { outcome: 'captured' | 'honeypot'; reference?: string } | { outcome: 'case-opened' | 'duplicate'; reference: string };

/** An outcome and where a plain HTML post is sent on (undefined: the built-in thank-you page). */
export type SubmissionAnswer = SubmissionOutcome & { thankYou: string | undefined };

/**
 * POST /forms/{formKey}/submit, public: rate limit per source IP first (bots pay for every
 * attempt), then the honeypot (a 2xx that stores nothing but a count), then the fields, then the
 * same capture as `POST /leads`. The answer never says whether the person was already known.
 */
export async function submitForm(
  deps: Deps,
  key: string | undefined,
  sourceIp: string,
  body: Record<string, unknown>,
  correlationId: string,
  options: { htmlForm?: boolean; origin?: string } = {},
): Promise<SubmissionAnswer> {
  const parsedKey = parseFormKey(key);
  const form = parsedKey ? await deps.forms.get(parsedKey.tenantId, parsedKey.secret) : undefined;
  if (!form || !form.active) throw new FormNotFound();
  const outcome = await takeSubmission(deps, form, sourceIp, body, correlationId, { htmlForm: options.htmlForm === true, origin: options.origin ?? '' });
  return { ...outcome, thankYou: thankYouLocation(form, outcome.reference) };
}

async function takeSubmission(deps: Deps, form: Form, sourceIp: string, body: Record<string, unknown>, correlationId: string, how: { htmlForm: boolean; origin: string }): Promise<SubmissionOutcome> {
  const window = rateWindow(clock.nowMs());
  if (!(await deps.forms.takeRateSlot(form, sourceIp, window.window, window.expiresAt))) {
    throw new SubmissionRateLimited(form.rateLimitPerMinute, window.retryAfterSeconds);
  }
  if (trippedHoneypot(body, form.honeypotField)) {
    await deps.forms.countHoneypot(form);
    return formPurpose(form) === 'case' ? { outcome: 'honeypot', reference: newId() } : { outcome: 'honeypot' };
  }
  if (formPurpose(form) === 'case') return submitCaseForm(deps, form, withoutHoneypot(body, form.honeypotField), correlationId);
  // A page's plain form sends strings under dotted names (`consent.newsletter=on`): the JSON shape first.
  const fields = how.htmlForm ? formPostFields(body as Record<string, string>) : { body };
  if ('errors' in fields) throw new ValidationFailed(fields.errors);
  const parsed = formSubmissionInput.safeParse(fields.body);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  const input = parsed.data as LeadInput;
  const doubleOptIn = input.consent !== undefined && (await doubleOptInOf(deps.confirmations, form.tenantId));
  const captured = await captureLead(
    deps.leads,
    { tenantId: form.tenantId, actor: { type: 'system', id: `form:${form.id}` }, correlationId, channel: 'form', formId: form.id, defaultSource: form.source, doubleOptIn },
    input,
  );
  // A new lead's waiting grants, or a known person's new ones: either way the link goes out (again).
  if (captured.disposition === 'new' || (captured.disposition === 'existing-lead' && captured.waiting.length > 0)) await mailConfirmation(deps.confirmations, captured.lead, how.origin);
  if (captured.disposition === 'matched-customer') await mailCustomerConfirmation(deps.confirmations, form.tenantId, captured, input.consentText ?? '', how.origin);
  return { outcome: 'captured' };
}

const MAX_CASE_ATTEMPTS = 3;

/**
 * A case form's submission opens a case as inbound mail does (shared/cases/system-case.ts): channel
 * `web`, in the queue, for the customer holding the address or a new unowned person. The same
 * submission again within CASE_SUBMISSION_DEDUPE_SECONDS (a double click, a retried request)
 * answers with the first case: a marker in the case's own transaction decides.
 */
async function submitCaseForm(deps: Deps, form: Form, body: Record<string, unknown>, correlationId: string): Promise<SubmissionOutcome> {
  const parsed = caseFormSubmission.safeParse(body);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  const submission = parsed.data;
  const category = caseCategoryOf(form, submission.category);
  if ('error' in category) throw new ValidationFailed([{ path: 'category', message: category.error }]);
  const digest = caseSubmissionKey(form.id, submission);
  const context = { tenantId: form.tenantId, actor: { type: 'system' as const, id: WEB_FORM_ACTOR_ID }, correlationId };
  const input = { email: submission.email, subject: submission.subject, description: submission.description, priority: submission.priority, category: category.category, channel: 'web' as const };
  for (let attempt = 1; attempt <= MAX_CASE_ATTEMPTS; attempt++) {
    try {
      const opened = await openSystemCase(deps.cases, {
        context,
        input,
        at: clock.nowIso(),
        customerName: submission.name,
        more: (c) => ({ items: [deps.forms.submissionMarker(form, digest, c.id, clock.nowMs(), CASE_SUBMISSION_DEDUPE_SECONDS)] }),
      });
      if (opened.outcome === 'opened') return { outcome: 'case-opened', reference: opened.case.id };
      // The customer was merged or erased between the read and the write: find them again.
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed) || !error.failed('submitted')) throw error;
      const first = error.current('submitted')?.caseId;
      if (typeof first === 'string') return { outcome: 'duplicate', reference: first };
      throw error;
    }
  }
  throw new Error(`Form ${form.id}: the customer of ${submission.email} kept changing over ${MAX_CASE_ATTEMPTS} attempts`);
}
