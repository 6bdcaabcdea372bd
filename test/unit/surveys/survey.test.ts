import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { ValidationFailed } from '../../../shared/errors';
import {
  assertCanReadFigures,
  counterDelta,
  decideAnswer,
  defaultSurveySettings,
  latestSatisfaction,
  newSurvey,
  replacedSurveySettings,
  satisfactionFigures,
  type Survey,
  surveySettingsInput,
} from '../../../shared/surveys/survey';

const SENT = '2026-12-07T10:00:00.000Z';
const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };

function survey(kind: 'csat' | 'nps' = 'csat', overrides: Partial<Survey> = {}): Survey {
  const settings = { ...defaultSurveySettings('acme'), kind, lowScoreThreshold: kind === 'csat' ? 2 : 6 };
  return { ...newSurvey({ id: '01JD0000000000000000000046', tenantId: 'acme', caseId: '01JD0000000000000000000042', customerId: '01JD0000000000000000000002', agentId: 'agent-1', teamId: 'emea' }, settings, SENT), ...overrides };
}

const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

describe('answering a survey', () => {
  it('records a first answer with the change window from then, and its month and expiry from the send', () => {
    const s = survey();
    expect(s).toMatchObject({ month: '2026-12', expiresAt: '2027-01-06T10:00:00.000Z', score: null, version: 1 });
    const decision = decideAnswer(s, { score: 4, comment: '  quick and kind  ' }, at(SENT, 1));
    expect(decision).toMatchObject({ outcome: 'recorded', previousScore: null, after: { score: 4, comment: 'quick and kind', answeredAt: at(SENT, 1), changeableUntil: at(SENT, 73), version: 2 } });
  });

  it('changes the score within the window, keeps the comment, and refuses a change after it', () => {
    const first = decideAnswer(survey(), { score: 2, comment: 'slow' }, at(SENT, 1));
    if (first.outcome !== 'recorded') throw new Error('expected a first answer');
    const changed = decideAnswer(first.after, { score: 5 }, at(SENT, 72));
    expect(changed).toMatchObject({ outcome: 'recorded', previousScore: 2, after: { score: 5, comment: 'slow', answeredAt: at(SENT, 1), changedAt: at(SENT, 72) } });
    expect(decideAnswer(first.after, { score: 5 }, at(SENT, 74))).toEqual({ outcome: 'closed' });
    expect(decideAnswer(first.after, { comment: 'more words' }, at(SENT, 74))).toEqual({ outcome: 'closed' });
  });

  it('changes nothing for the answer as it stands, even after the window (a reload, a double submit)', () => {
    const first = decideAnswer(survey(), { score: 3 }, at(SENT, 1));
    if (first.outcome !== 'recorded') throw new Error('expected a first answer');
    expect(decideAnswer(first.after, { score: 3 }, at(SENT, 2))).toEqual({ outcome: 'unchanged' });
    expect(decideAnswer(first.after, { score: 3, comment: '   ' }, at(SENT, 500))).toEqual({ outcome: 'unchanged' });
  });

  it('refuses a first answer after the links expired, one without a score, and a score off the scale', () => {
    expect(decideAnswer(survey(), { score: 4 }, at(SENT, 30 * 24 + 1))).toEqual({ outcome: 'expired' });
    expect(decideAnswer(survey(), { comment: 'just words' }, at(SENT, 1))).toEqual({ outcome: 'needs-score' });
    expect(decideAnswer(survey(), { score: 0 }, at(SENT, 1))).toEqual({ outcome: 'bad-score' });
    expect(decideAnswer(survey('csat'), { score: 6 }, at(SENT, 1))).toEqual({ outcome: 'bad-score' });
    expect(decideAnswer(survey('nps'), { score: 0 }, at(SENT, 1))).toMatchObject({ outcome: 'recorded' });
    expect(decideAnswer(survey('nps'), { score: 11 }, at(SENT, 1))).toEqual({ outcome: 'bad-score' });
  });
});

describe('counters', () => {
  it('adds a response for a first answer and moves a count for a changed one', () => {
    expect(counterDelta(null, 4)).toEqual({ n: 1, sum: 4, s4: 1 });
    expect(counterDelta(4, 2)).toEqual({ sum: -2, s4: -1, s2: 1 });
    expect(counterDelta(3, 3)).toEqual({});
  });

  it('gives the same figures after a change as if the new score had been the first', () => {
    const apply = (counter: Record<string, number>, delta: Record<string, number>) => {
      const next = { ...counter };
      for (const [k, v] of Object.entries(delta)) next[k] = (next[k] ?? 0) + v;
      return next;
    };
    let counter = apply(apply({}, counterDelta(null, 5)), counterDelta(null, 1));
    counter = apply(counter, counterDelta(1, 4));
    expect(satisfactionFigures('csat', counter)).toEqual(satisfactionFigures('csat', apply(apply({}, counterDelta(null, 5)), counterDelta(null, 4))));
    expect(counter).toMatchObject({ n: 2, sum: 9, s1: 0, s4: 1, s5: 1 });
  });

  it('computes CSAT as the share of 4 and 5 and the average', () => {
    const figures = satisfactionFigures('csat', { n: 4, sum: 14, s5: 2, s4: 1, s2: 1 });
    expect(figures).toMatchObject({ responses: 4, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 2 }, csat: { satisfied: 3, satisfiedPercent: 75, average: 3.5 }, nps: null });
    expect(satisfactionFigures('csat', { n: 3, sum: 13, s5: 1, s4: 2 }).csat).toMatchObject({ satisfiedPercent: 100, average: 4.3 });
  });

  it('computes NPS as promoters minus detractors in percent of the answers', () => {
    const figures = satisfactionFigures('nps', { n: 5, sum: 36, s10: 2, s9: 1, s8: 1, s0: 1 });
    expect(figures).toMatchObject({ responses: 5, csat: null, nps: { promoters: 3, passives: 1, detractors: 1, score: 40 } });
    expect(satisfactionFigures('nps', { n: 2, s6: 1, s3: 1 }).nps!.score).toBe(-100);
  });

  it('answers nulls, not zeros or NaN, when nobody answered', () => {
    expect(satisfactionFigures('csat', {})).toMatchObject({ responses: 0, csat: { satisfied: 0, satisfiedPercent: null, average: null } });
    expect(satisfactionFigures('nps', {}).nps).toEqual({ promoters: 0, passives: 0, detractors: 0, score: null });
  });
});

describe('settings', () => {
  it('defaults to off, CSAT, 72 hours to change, 30 days to answer, low at 2', () => {
    expect(defaultSurveySettings('acme')).toMatchObject({ enabled: false, kind: 'csat', changeWindowHours: 72, answerWithinDays: 30, lowScoreThreshold: 2, version: 0 });
  });

  it("takes the kind's own low threshold when none is given (NPS: detractors, 6 and below)", () => {
    const input = surveySettingsInput.parse({ enabled: true, kind: 'nps' });
    expect(replacedSurveySettings(defaultSurveySettings('acme'), input, admin, SENT)).toMatchObject({ enabled: true, kind: 'nps', lowScoreThreshold: 6, version: 1, updatedBy: 'admin-1' });
  });

  it('refuses a threshold off the scale or at its best score, naming the field', () => {
    for (const [kind, threshold] of [['csat', 5], ['csat', 0], ['nps', 10], ['nps', -1]] as const) {
      const input = surveySettingsInput.parse({ enabled: true, kind, lowScoreThreshold: threshold });
      try {
        replacedSurveySettings(defaultSurveySettings('acme'), input, admin, SENT);
        throw new Error(`accepted ${kind} ${threshold}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationFailed);
        expect((error as ValidationFailed).errors.map((e) => e.path)).toEqual(['lowScoreThreshold']);
      }
    }
  });
});

describe('the case and the figures', () => {
  it("shows the latest answered survey's answer on the case", () => {
    const older = { ...survey(), id: 'A', sentAt: '2026-12-01T00:00:00.000Z', score: 1, answeredAt: '2026-12-01T01:00:00.000Z' };
    const newer = { ...survey(), id: 'B', sentAt: '2026-12-05T00:00:00.000Z', score: 5, answeredAt: '2026-12-05T01:00:00.000Z' };
    const unanswered = { ...survey(), id: 'C', sentAt: '2026-12-06T00:00:00.000Z' };
    expect(latestSatisfaction([older, newer, unanswered])).toMatchObject({ surveyId: 'B', score: 5 });
    expect(latestSatisfaction([unanswered])).toBeNull();
  });

  it("lets agents read their own and their team's figures only", () => {
    const agent: Caller = { userId: 'agent-1', tenantId: 'acme', groups: ['agent'], teamId: 'emea' };
    expect(() => assertCanReadFigures(agent, { agentId: 'agent-1' })).not.toThrow();
    expect(() => assertCanReadFigures(agent, { teamId: 'emea' })).not.toThrow();
    expect(() => assertCanReadFigures(agent, { agentId: 'agent-2' })).toThrow();
    expect(() => assertCanReadFigures(agent, {})).toThrow();
    expect(() => assertCanReadFigures({ userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, { agentId: 'rep-1' })).toThrow();
    expect(() => assertCanReadFigures({ userId: 'm', tenantId: 'acme', groups: ['manager'] }, {})).not.toThrow();
  });
});
