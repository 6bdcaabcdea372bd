import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import { busEventSchema } from '../../events/envelope';
import type { SesMail } from '../aws/ses-mail';
import type { Case } from '../cases/case';
import type { CaseRepository } from '../cases/case-repository';
import { caseReference } from '../cases/case-reply-use-case';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { SuppressionRepository } from '../consent/suppression-repository';
import { signUnsubscribeToken, unsubscribeHeaders } from '../consent/unsubscribe-token';
import type { OnceStore } from '../idempotency/once-store';
import { newId } from '../ids';
import { keys } from '../keys';
import { newSurvey, scoresOf, type SurveySettings } from './survey';
import { surveyMail } from './survey-page';
import type { SurveyRepository } from './survey-repository';
import { surveyUrls } from './survey-token';

/** The side effect's name; its marker (`$DONE#case-survey#<eventId>`) sits in the customer's partition. */
export const SURVEY_EFFECT = 'case-survey';

/**
 * The consent topic of service surveys. Surveys are asked on the footing of the service just given
 * (legitimate interest), not of a marketing opt-in: they go unless the customer (or the case's
 * contact) refused this topic, and every survey mail carries a one-click unsubscribe link for it
 * (the marketing unsubscribe route, same signed token), so a refusal is one click away.
 */
export const SURVEY_CONSENT_TOPIC = 'service-surveys';

export type SurveySendResult =
  | { status: 'sent'; surveyId: string; messageId: string }
  | { status: 'not-resolved' | 'disabled' | 'case-reopened' | 'no-address' | 'customer-gone' | 'refused' | 'suppressed' | 'already-sent' };

export interface SurveySendDeps {
  surveys: Pick<SurveyRepository, 'settings' | 'create'>;
  cases: Pick<CaseRepository, 'get'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<{ consent: Customer['consent'] } | undefined> };
  users: { get(tenantId: string, userId: string): Promise<{ teamId?: string | null } | undefined> };
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
  mailer: Pick<SesMail, 'sendSimple'>;
  /** The stage's link secret (the unsubscribe secret; survey links sign with a key derived from it). */
  secret: () => Promise<string>;
  /** Where the links point: the public HTTP API. */
  apiBaseUrl: string;
}

const refused = (consent: Customer['consent'] | undefined) => consent?.[SURVEY_CONSENT_TOPIC]?.granted === false;

/**
 * Rule target on `crm.case.status-changed.v1` with `to: resolved`: mails the tenant's survey to
 * the case's requester once per resolution (a marker per event, claimed before the send and
 * released if SES refuses, so a retry sends it then). Nothing goes when surveys are off, the case
 * was reopened meanwhile, there is no address, the customer is gone, refused service surveys or
 * the address is suppressed. The survey is stored before the mail leaves, so its links always
 * find it.
 */
export async function sendCaseSurvey(deps: SurveySendDeps, event: unknown): Promise<SurveySendResult> {
  const detail = caseStatusChangedV1.schema.parse(busEventSchema.parse(event).detail);
  const { tenantId } = detail;
  if (detail.data.to !== 'resolved') return { status: 'not-resolved' };
  const settings = await deps.surveys.settings(tenantId, true);
  if (!settings.enabled) return { status: 'disabled' };
  const found = await deps.cases.get(tenantId, detail.data.caseId, false);
  // The index may trail the commit by a moment: failing lets the bus deliver it again.
  if (!found) throw new Error(`Case ${detail.data.caseId} is not readable yet`);
  const c = found.case;
  if (c.status !== 'resolved') return { status: 'case-reopened' };
  if (!c.email) return { status: 'no-address' };
  const customer = await deps.customers.get(tenantId, c.customerId);
  if (!customer || customer.mergedInto || customer.erasedAt) return { status: 'customer-gone' };
  const contact = c.contactId ? await deps.contacts.get(tenantId, c.customerId, c.contactId) : undefined;
  if (refused(customer.consent) || refused(contact?.consent)) return { status: 'refused' };
  if ((await deps.suppressions.suppressedAmong(tenantId, [c.email])).size > 0) return { status: 'suppressed' };

  const partition = keys.customerPartition(tenantId, c.customerId);
  const effect = `${SURVEY_EFFECT}#${detail.id}`;
  const nowIso = clock.nowIso();
  if (!(await deps.once.claim(partition, effect, nowIso))) return { status: 'already-sent' };
  let sent: { surveyId: string; messageId: string };
  try {
    sent = await storeAndMail(deps, c, settings, nowIso);
  } catch (error) {
    // Nothing left the house: the next delivery may try again (with a new survey; the unsent one is never linked).
    await deps.once.release(partition, effect);
    throw error;
  }
  // Sent: from here a failure must not release the marker, or a retry would mail it twice.
  await deps.once.complete(partition, effect, sent, []);
  return { status: 'sent', ...sent };
}

async function storeAndMail(deps: SurveySendDeps, c: Case, settings: SurveySettings, nowIso: string): Promise<{ surveyId: string; messageId: string }> {
  const { tenantId } = c;
  const agent = c.assigneeId ? await deps.users.get(tenantId, c.assigneeId) : undefined;
  const survey = newSurvey({ id: newId(), tenantId, caseId: c.id, customerId: c.customerId, agentId: c.assigneeId, teamId: agent?.teamId ?? null }, settings, nowIso);
  await deps.surveys.create(survey);
  const secret = await deps.secret();
  const urls = surveyUrls(deps.apiBaseUrl, { tenantId, customerId: c.customerId, caseId: c.id, surveyId: survey.id, expiresAt: survey.expiresAt }, scoresOf(survey.kind), secret);
  const unsubscribe = unsubscribeHeaders(
    deps.apiBaseUrl,
    signUnsubscribeToken({ tenantId, customerId: c.customerId, ...(c.contactId ? { contactId: c.contactId } : {}), topic: SURVEY_CONSENT_TOPIC, issuedAt: nowIso }, secret),
  );
  const mail = surveyMail(survey.kind, c.subject, urls, unsubscribe.url);
  const { messageId } = await deps.mailer.sendSimple({
    to: c.email!,
    // The case's reference, so an answer by mail threads back to the case (inbound mail).
    subject: `${mail.subject} ${caseReference(c.id)}`,
    text: mail.text,
    html: mail.html,
    tags: { tenantId, customerId: c.customerId, topic: SURVEY_CONSENT_TOPIC, kind: SURVEY_EFFECT },
    headers: [{ name: 'X-CRM-Case', value: c.id }, ...unsubscribe.headers],
  });
  return { surveyId: survey.id, messageId };
}
