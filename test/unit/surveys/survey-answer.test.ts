import { afterEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../shared/clock';
import { MalformedRequest, ValidationFailed } from '../../../shared/errors';
import { defaultSurveySettings, newSurvey, type Survey } from '../../../shared/surveys/survey';
import type { SurveyEvent } from '../../../shared/surveys/survey-repository';
import { signSurveyToken } from '../../../shared/surveys/survey-token';
import { answerSurvey, previewSurveyAnswer, SurveyClosed, SurveyExpired, type SurveyLinkDeps } from '../../../shared/surveys/survey-use-cases';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const SENT = '2026-12-07T10:00:00.000Z';
const ids = { tenantId: 'acme', customerId: '01JD0000000000000000000002', caseId: '01JD0000000000000000000042', surveyId: '01JD0000000000000000000046' };
const token = (score?: number) => signSurveyToken({ ...ids, ...(score === undefined ? {} : { score }), expiresAt: '2027-01-06T10:00:00.000Z' }, SECRET);
const setNow = (iso: string) => installTimeSource(() => Date.parse(iso));

/** A survey store that behaves like the table: answers only over the version read; `interleave` lets another answer land first. */
function store(interleave?: (current: Survey) => Survey) {
  let current = newSurvey({ id: ids.surveyId, tenantId: ids.tenantId, caseId: ids.caseId, customerId: ids.customerId, agentId: 'agent-1', teamId: null }, defaultSurveySettings('acme'), SENT);
  const written: { after: Survey; previousScore: number | null; event: SurveyEvent }[] = [];
  let pending = interleave;
  const deps: SurveyLinkDeps = {
    secret: async () => SECRET,
    surveys: {
      get: async () => current,
      answer: async (after, expectedVersion, previousScore, event) => {
        if (pending) {
          current = pending(current);
          pending = undefined;
        }
        if (current.version !== expectedVersion) return 'stale';
        current = after;
        written.push({ after, previousScore, event });
        return 'written';
      },
    },
  };
  return { deps, written, current: () => current };
}

afterEach(() => installTimeSource(Date.now));

describe('answering through a link', () => {
  it('records a first answer with its event, naming a low score', async () => {
    setNow('2026-12-07T11:00:00.000Z');
    const { deps, written } = store();
    expect(await answerSurvey(deps, token(2), 'rating', { comment: 'slow' }, 'req-1')).toMatchObject({ outcome: 'recorded', survey: { score: 2, comment: 'slow' } });
    expect(written[0]!.event.detail).toMatchObject({ data: { score: 2, previousScore: null, low: true, hasComment: true, agentId: 'agent-1' }, actor: { type: 'system', id: 'survey-link' }, correlationId: 'req-1' });
  });

  it('turns a lost race into a change of the answer that won, never a second first answer', async () => {
    setNow('2026-12-07T11:00:00.000Z');
    const other = (s: Survey): Survey => ({ ...s, score: 5, answeredAt: '2026-12-07T10:59:59.000Z', changedAt: '2026-12-07T10:59:59.000Z', changeableUntil: '2026-12-10T10:59:59.000Z', version: s.version + 1 });
    const { deps, written } = store(other);
    expect(await answerSurvey(deps, token(3), 'rating', {}, 'req-2')).toMatchObject({ outcome: 'recorded', survey: { score: 3 } });
    expect(written.map((w) => w.previousScore)).toEqual([5]);
  });

  it('refuses a first answer after the expiry with 410, and a change after the window with 409', async () => {
    setNow('2027-01-06T10:00:01.000Z');
    await expect(answerSurvey(store().deps, token(4), 'rating', {}, 'r')).rejects.toBeInstanceOf(SurveyExpired);
    await expect(previewSurveyAnswer(store().deps, token(4), 'rating')).rejects.toBeInstanceOf(SurveyExpired);

    setNow('2026-12-07T11:00:00.000Z');
    const { deps } = store();
    await answerSurvey(deps, token(4), 'rating', {}, 'r');
    setNow('2026-12-10T11:00:01.000Z');
    const closed = answerSurvey(deps, token(1), 'rating', {}, 'r');
    await expect(closed).rejects.toBeInstanceOf(SurveyClosed);
    await expect(closed).rejects.toMatchObject({ kind: 'conflict', slug: 'survey-closed' });
  });

  it('answers 400 for a tampered token, a comment token on a rating link, or a score that is no number', async () => {
    setNow('2026-12-07T11:00:00.000Z');
    const [payload, signature] = token(5).split('.') as [string, string];
    await expect(answerSurvey(store().deps, `${payload}.${signature.slice(1)}x`, 'rating', {}, 'r')).rejects.toBeInstanceOf(MalformedRequest);
    await expect(answerSurvey(store().deps, token(), 'rating', {}, 'r')).rejects.toBeInstanceOf(MalformedRequest);
    await expect(answerSurvey(store().deps, token(), 'comment', { score: 'five' }, 'r')).rejects.toBeInstanceOf(ValidationFailed);
  });

  it('shows the comment form on a survey nobody answered yet (it asks for a score then)', async () => {
    setNow('2026-12-07T11:00:00.000Z');
    expect(await previewSurveyAnswer(store().deps, token(), 'comment')).toMatchObject({ score: null });
  });
});
