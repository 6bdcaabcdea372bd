import * as z from 'zod/mini';
import type { ConsentEvidence, ConsentRecord } from '../customers/fields';
import { CONSENT_TOPIC } from './consent-check';

/**
 * Consent captured where a lead comes from (docs/leads.md#consent-at-the-source): the answers per
 * topic with their evidence (the wording shown, the page, the form, the server's time), stored on
 * the lead as a customer's are stored and carried to the customer or contact by the conversion.
 * Pure and free of the AWS SDK.
 */

const TOPIC_MESSAGE = 'Expected a consent topic: lowercase letters, digits and -, starting with a letter';

/** `{newsletter: true, offers: false}`: a topic's answer is true (granted) or false (refused). */
export const capturedConsentInput = z.record(
  z.string().check(z.regex(CONSENT_TOPIC, TOPIC_MESSAGE)),
  z.boolean({ error: 'Expected true (granted) or false (refused)' }),
  { error: (issue) => (issue.code === 'invalid_key' ? TOPIC_MESSAGE : 'Expected an object of topic: true or false') },
);

/** The wording shown with the checkboxes; required with any answer, since an answer without it proves nothing. */
export const consentTextInput = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));

export const MAX_CONSENT_TOPICS = 20;

/** The refinement a lead body needs: answers come with their wording, and not too many of them. */
export function consentIssues(body: { consent?: Record<string, boolean>; consentText?: string }): { path: string; message: string }[] {
  const topics = Object.keys(body.consent ?? {});
  const issues: { path: string; message: string }[] = [];
  if (topics.length > MAX_CONSENT_TOPICS) issues.push({ path: 'consent', message: `At most ${MAX_CONSENT_TOPICS} topics` });
  if (topics.length > 0 && body.consentText === undefined) issues.push({ path: 'consentText', message: 'Give the consent wording the person was shown' });
  return issues;
}

/**
 * The records a capture stores: one per answered topic, all with the same evidence and the
 * server's time (a client's clock proves nothing).
 */
export function capturedConsent(
  answers: Record<string, boolean> | undefined,
  evidence: ConsentEvidence | null,
  source: 'api' | 'form',
  nowIso: string,
): Record<string, ConsentRecord> {
  if (!answers || !evidence) return {};
  return Object.fromEntries(Object.entries(answers).map(([topic, granted]) => [topic, { granted, at: nowIso, source, evidence: { ...evidence } }]));
}

/**
 * The lead's records as the converted customer's or contact's: time, source and evidence as
 * captured, and the lead they came from, so "when and how did this person agree" still has its
 * first answer after the lead is gone.
 */
export function consentFromLead(leadId: string, records: Record<string, ConsentRecord> | undefined): Record<string, ConsentRecord> {
  return Object.fromEntries(Object.entries(records ?? {}).map(([topic, record]) => [topic, { ...record, convertedFromLead: leadId }]));
}

/** Checkbox values an HTML form sends: `on` is what a browser posts for a checked box without a value. */
const YES = new Set(['on', 'true', 'yes', '1']);
const NO = new Set(['off', 'false', 'no', '0', '']);

/**
 * An HTML form's fields (`application/x-www-form-urlencoded`, all strings) as the JSON body of a
 * lead submission: `consent.<topic>=on|off` (a hidden `off` before the checkbox records a refusal:
 * the last value of a name wins), `utm.<key>`, `companySize` as a number. Other fields pass as
 * they are, and the schema judges them.
 */
export function formPostFields(fields: Record<string, string>): { body: Record<string, unknown> } | { errors: { path: string; message: string }[] } {
  const body: Record<string, unknown> = {};
  const consent: Record<string, boolean> = {};
  const utm: Record<string, string> = {};
  const errors: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('consent.')) {
      const answer = value.trim().toLowerCase();
      if (YES.has(answer)) consent[name.slice('consent.'.length)] = true;
      else if (NO.has(answer)) consent[name.slice('consent.'.length)] = false;
      else errors.push({ path: name, message: 'Expected a checkbox value: on (granted) or off (refused)' });
    } else if (name.startsWith('utm.')) utm[name.slice('utm.'.length)] = value;
    else if (name === 'companySize' && /^\s*\d+\s*$/.test(value)) body[name] = Number(value);
    else body[name] = value;
  }
  if (errors.length > 0) return { errors };
  if (Object.keys(consent).length > 0) body.consent = consent;
  if (Object.keys(utm).length > 0) body.utm = utm;
  return { body };
}

/** A grant waiting for its confirmation link (double opt-in): what was asked, where and when. */
export interface PendingConsent {
  requestedAt: string;
  source: string;
  evidence: ConsentEvidence;
}

/**
 * Under double opt-in a grant is not consent yet: it waits, with its evidence, until the person
 * follows the mailed link. A refusal needs no confirmation (it only ever sends less mail) and is
 * recorded at once.
 */
export function awaitingConfirmation(records: Record<string, ConsentRecord>): { consent: Record<string, ConsentRecord>; pending: Record<string, PendingConsent> } {
  const consent: Record<string, ConsentRecord> = {};
  const pending: Record<string, PendingConsent> = {};
  for (const [topic, record] of Object.entries(records)) {
    if (record.granted && record.evidence) pending[topic] = { requestedAt: record.at, source: record.source, evidence: record.evidence };
    else consent[topic] = record;
  }
  return { consent, pending };
}

/** The grants a followed link makes: at the moment of confirmation, with the evidence of the request. */
export function confirmedConsent(pending: Record<string, PendingConsent>, nowIso: string): Record<string, ConsentRecord> {
  return Object.fromEntries(
    Object.entries(pending).map(([topic, p]) => [topic, { granted: true, at: nowIso, source: p.source, evidence: { ...p.evidence }, requestedAt: p.requestedAt }]),
  );
}

/**
 * A known person answering again (the same form sent twice): an unchanged answer keeps its first
 * time and evidence, a changed one is recorded, a refusal also drops a grant that waited, and
 * under double opt-in a new grant waits again (its link is mailed again).
 */
export function answeredAgain(
  current: { consent: Record<string, ConsentRecord>; pending: Record<string, PendingConsent> },
  captured: Record<string, ConsentRecord>,
  doubleOptIn: boolean,
): { consent: Record<string, ConsentRecord>; pending: Record<string, PendingConsent>; waiting: string[] } {
  const consent = { ...current.consent };
  const pending = { ...current.pending };
  const waiting: string[] = [];
  for (const [topic, record] of Object.entries(captured)) {
    if (consent[topic]?.granted === record.granted) {
      if (!record.granted) delete pending[topic];
      continue;
    }
    if (record.granted && doubleOptIn && record.evidence) {
      pending[topic] = { requestedAt: record.at, source: record.source, evidence: record.evidence };
      waiting.push(topic);
      continue;
    }
    consent[topic] = record;
    delete pending[topic];
  }
  return { consent, pending, waiting };
}

/**
 * A capture's answers applied to the customer it matched (docs/leads.md#consent-at-the-source):
 * the same rules as a known lead answering again (answeredAgain), but only when the address the
 * person typed is one of the customer's own. A match on a phone or a company domain (a colleague),
 * or on a contact's address, is somebody else's answer: it stays in the capture's timeline entry
 * and changes nobody's consent. Undefined when nothing applies or nothing changes.
 */
export function answersForCustomer(
  customer: { emails: readonly string[]; consent: Record<string, ConsentRecord>; pendingConsent?: Record<string, PendingConsent> },
  email: string | null | undefined,
  captured: Record<string, ConsentRecord>,
  doubleOptIn: boolean,
): { consent: Record<string, ConsentRecord>; pending: Record<string, PendingConsent>; waiting: string[]; changedFields: ('consent' | 'pendingConsent')[] } | undefined {
  if (!email || !customer.emails.includes(email) || Object.keys(captured).length === 0) return undefined;
  const pendingBefore = customer.pendingConsent ?? {};
  const answered = answeredAgain({ consent: customer.consent, pending: pendingBefore }, captured, doubleOptIn);
  const changedFields = (['consent', 'pendingConsent'] as const).filter((field) =>
    field === 'consent' ? JSON.stringify(answered.consent) !== JSON.stringify(customer.consent) : JSON.stringify(answered.pending) !== JSON.stringify(pendingBefore),
  );
  return changedFields.length ? { ...answered, changedFields } : undefined;
}
