import { randomBytes } from 'node:crypto';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { clock } from '../clock';
import { Forbidden, FormNotFound, SubmissionRateLimited, ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';
import { newId } from '../ids';
import { captureLead } from '../leads/lead-capture-use-case';
import { formSubmissionInput, type LeadInput } from '../leads/lead';
import type { LeadRepository } from '../leads/lead-repository';
import { type CreateFormInput, formView, newForm, parseFormKey, rateWindow, trippedHoneypot } from './form';
import type { FormRepository } from './form-repository';

interface Deps {
  forms: FormRepository;
  leads: LeadRepository;
}

const mayManageForms = (caller: Caller) => runsMarketing(caller);

/** POST /forms: admins and marketers. The key is 192 random bits behind the tenant id. */
export async function createForm(deps: Pick<Deps, 'forms'>, caller: Caller, input: CreateFormInput) {
  if (!mayManageForms(caller)) throw new Forbidden('Only admins and marketers create forms');
  const form = newForm(input, { id: newId(), tenantId: caller.tenantId, secret: randomBytes(24).toString('base64url'), userId: caller.userId, nowIso: clock.nowIso() });
  await deps.forms.create(form);
  return formView(form);
}

export async function listForms(deps: Pick<Deps, 'forms'>, caller: Caller) {
  if (!mayManageForms(caller)) throw new Forbidden('Only admins and marketers list forms');
  const forms = await deps.forms.list(caller.tenantId);
  return { items: forms.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(formView) };
}

export type SubmissionOutcome = 'captured' | 'honeypot';

/**
 * POST /forms/{formKey}/submit, public: rate limit per source IP first (bots pay for every
 * attempt), then the honeypot (a 2xx that stores nothing but a count), then the fields, then the
 * same capture as `POST /leads`. The answer never says whether the person was already known.
 */
export async function submitForm(deps: Deps, key: string | undefined, sourceIp: string, body: Record<string, unknown>, correlationId: string): Promise<SubmissionOutcome> {
  const parsedKey = parseFormKey(key);
  const form = parsedKey ? await deps.forms.get(parsedKey.tenantId, parsedKey.secret) : undefined;
  if (!form || !form.active) throw new FormNotFound();

  const window = rateWindow(clock.nowMs());
  if (!(await deps.forms.takeRateSlot(form, sourceIp, window.window, window.expiresAt))) {
    throw new SubmissionRateLimited(form.rateLimitPerMinute, window.retryAfterSeconds);
  }
  if (trippedHoneypot(body, form.honeypotField)) {
    await deps.forms.countHoneypot(form);
    return 'honeypot';
  }
  const parsed = formSubmissionInput.safeParse(body);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  await captureLead(
    deps.leads,
    { tenantId: form.tenantId, actor: { type: 'system', id: `form:${form.id}` }, correlationId, channel: 'form', formId: form.id, defaultSource: form.source },
    parsed.data as LeadInput,
  );
  return 'captured';
}
