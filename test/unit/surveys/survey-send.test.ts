import { describe, expect, it } from 'vitest';
import type { SimpleMail } from '../../../shared/aws/ses-mail';
import type { Case } from '../../../shared/cases/case';
import { verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import type { Customer } from '../../../shared/customers/customer';
import { defaultSurveySettings, type Survey } from '../../../shared/surveys/survey';
import { sendCaseSurvey, SURVEY_CONSENT_TOPIC, type SurveySendDeps } from '../../../shared/surveys/survey-send-use-case';
import { verifySurveyToken } from '../../../shared/surveys/survey-token';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const CASE_ID = '01JD0000000000000000000042';
const theCase = { id: CASE_ID, tenantId: 'acme', customerId: 'K1', contactId: null, subject: 'Export fails', email: 'ann@example.com', status: 'resolved', assigneeId: 'agent-1' } as Case;
const customer = { id: 'K1', consent: {}, mergedInto: null, erasedAt: null } as unknown as Customer;

const event = (to = 'resolved', id = '01JD0000000000000000000045') => ({
  id: 'e1',
  'detail-type': 'crm.case.status-changed.v1',
  source: 'crm',
  time: '2026-12-07T09:10:00Z',
  detail: {
    id, type: 'crm.case.status-changed.v1', occurredAt: '2026-12-07T09:10:00.000Z', tenantId: 'acme',
    actor: { type: 'user', id: 'agent-1' }, correlationId: 'req-1',
    data: { caseId: CASE_ID, customerId: 'K1', from: 'open', to, assigneeId: 'agent-1' },
  },
});

function world(options: { failSend?: boolean; enabled?: boolean; kind?: 'csat' | 'nps'; case?: Partial<Case>; customer?: Partial<Customer>; suppressed?: boolean } = {}) {
  const sent: SimpleMail[] = [];
  const surveys: Survey[] = [];
  const markers = new Map<string, string>();
  const deps: SurveySendDeps = {
    surveys: {
      settings: async () => ({ ...defaultSurveySettings('acme'), enabled: options.enabled ?? true, kind: options.kind ?? 'csat' }),
      create: async (s) => (surveys.push(s), true),
    },
    cases: { get: async () => ({ case: { ...theCase, ...options.case }, messages: [] }) },
    customers: { get: async () => ({ ...customer, ...options.customer }) as Customer },
    contacts: { get: async () => undefined },
    users: { get: async () => ({ teamId: 'emea' }) },
    suppressions: { suppressedAmong: async (_t, addresses) => new Set(options.suppressed ? addresses : []) },
    once: {
      claim: async (pk, effect) => (markers.has(`${pk}|${effect}`) ? false : (markers.set(`${pk}|${effect}`, 'claimed'), true)),
      release: async (pk, effect) => void markers.delete(`${pk}|${effect}`),
      complete: async (pk, effect) => void markers.set(`${pk}|${effect}`, 'done'),
    },
    mailer: {
      sendSimple: async (mail) => {
        if (options.failSend) throw new Error('SES refused');
        sent.push(mail);
        return { messageId: `ses-${sent.length}` };
      },
    },
    secret: async () => SECRET,
    apiBaseUrl: 'https://api.example.com',
  };
  return { deps, sent, surveys, markers };
}

describe('mailing the survey of a resolved case', () => {
  it('mails once per resolution, with a signed link per score for the stored survey, crediting the assignee and their team', async () => {
    const { deps, sent, surveys } = world();
    const first = await sendCaseSurvey(deps, event());
    expect(first).toMatchObject({ status: 'sent', messageId: 'ses-1' });
    expect(await sendCaseSurvey(deps, event())).toEqual({ status: 'already-sent' });
    expect(sent).toHaveLength(1);
    expect(surveys).toHaveLength(1);
    expect(surveys[0]).toMatchObject({ caseId: CASE_ID, customerId: 'K1', kind: 'csat', agentId: 'agent-1', teamId: 'emea', score: null });
    expect(sent[0]).toMatchObject({ to: 'ann@example.com', subject: `How did we do? Export fails [case ${CASE_ID}]`, tags: { topic: SURVEY_CONSENT_TOPIC, kind: 'case-survey' } });
    const tokens = [...sent[0]!.text.matchAll(/^(\d): https:\/\/api\.example\.com\/surveys\/(\S+)$/gm)];
    expect(tokens.map((m) => verifySurveyToken(m[2]!, SECRET))).toEqual([1, 2, 3, 4, 5].map((score) => expect.objectContaining({ surveyId: surveys[0]!.id, caseId: CASE_ID, score })));
    // Its unsubscribe link opts out of service surveys only.
    const unsubscribe = sent[0]!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
    expect(verifyUnsubscribeToken(/\/unsubscribe\/([^>]+)>/.exec(unsubscribe)![1]!, SECRET).topic).toBe(SURVEY_CONSENT_TOPIC);
    // Another resolution (another event) is another survey.
    expect(await sendCaseSurvey(deps, event('resolved', '01JD0000000000000000000099'))).toMatchObject({ status: 'sent' });
  });

  it('releases the claim when SES refuses, so a retry sends it', async () => {
    const failing = world({ failSend: true });
    await expect(sendCaseSurvey(failing.deps, event())).rejects.toThrow('SES refused');
    expect(failing.markers.size).toBe(0);
  });

  it('links 0 to 10 for NPS', async () => {
    const { deps, sent } = world({ kind: 'nps' });
    await sendCaseSurvey(deps, event());
    expect([...sent[0]!.text.matchAll(/^(\d{1,2}): /gm)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each([
    ['not-resolved', {}, event('open')],
    ['disabled', { enabled: false }, event()],
    ['case-reopened', { case: { status: 'open' as const } }, event()],
    ['no-address', { case: { email: null } }, event()],
    ['customer-gone', { customer: { erasedAt: '2026-12-07T09:00:00.000Z' } }, event()],
    ['refused', { customer: { consent: { [SURVEY_CONSENT_TOPIC]: { granted: false, at: '2026-01-01T00:00:00.000Z', source: 'unsubscribe-link' } } } }, event()],
    ['suppressed', { suppressed: true }, event()],
  ] as const)('sends nothing when %s', async (status, options, e) => {
    const { deps, sent, surveys } = world(options as Parameters<typeof world>[0]);
    expect(await sendCaseSurvey(deps, e)).toEqual({ status });
    expect(sent).toHaveLength(0);
    expect(surveys).toHaveLength(0);
  });

  it('still surveys a customer who refused marketing but said nothing about surveys', async () => {
    const { deps } = world({ customer: { consent: { marketing: { granted: false, at: '2026-01-01T00:00:00.000Z', source: 'api' } } } });
    expect(await sendCaseSurvey(deps, event())).toMatchObject({ status: 'sent' });
  });
});
