import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { hasAnyGroup } from '../access/caller';
import { Forbidden, PreconditionFailed, ValidationFailed } from '../errors';

/**
 * Satisfaction surveys after a case is resolved (docs/service.md, "Satisfaction surveys"): the
 * tenant's settings, the scales, what an answer does to a survey, and the figures the counters
 * give. Pure: no table, no mail, no HTTP.
 */

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** CSAT: 1 (very dissatisfied) to 5 (very satisfied); NPS: 0 to 10 ("how likely would you recommend us"). */
export const SURVEY_SCALES: Readonly<Record<SurveyKind, { min: number; max: number }>> = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } };

/** The scores of a kind, lowest first: one link each in the mail. */
export const scoresOf = (kind: SurveyKind): number[] => {
  const { min, max } = SURVEY_SCALES[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
};

export const isScoreOf = (kind: SurveyKind, score: number): boolean => Number.isInteger(score) && score >= SURVEY_SCALES[kind].min && score <= SURVEY_SCALES[kind].max;

/**
 * A low score opens a follow-up task: at most this. CSAT 1-2 are the dissatisfied answers; NPS 0-6
 * are the detractors, so the defaults follow the scales' own meaning.
 */
export const DEFAULT_LOW_SCORE_THRESHOLD: Readonly<Record<SurveyKind, number>> = { csat: 2, nps: 6 };

export const SURVEY_SETTINGS_LIMITS = {
  changeWindowHours: { min: 1, max: 720 },
  answerWithinDays: { min: 1, max: 365 },
} as const;

export const SURVEY_SETTINGS_DEFAULTS = {
  /** Off until the tenant turns it on: a new kind of mail to every requester is the tenant's decision. */
  enabled: false,
  kind: 'csat' as SurveyKind,
  /** How long after the first answer a click on another score (or a new comment) changes it. */
  changeWindowHours: 72,
  /** How long the links of a survey mail take a first answer. */
  answerWithinDays: 30,
} as const;

export const COMMENT_MAX = 2000;

export interface SurveySettings {
  tenantId: string;
  enabled: boolean;
  kind: SurveyKind;
  changeWindowHours: number;
  lowScoreThreshold: number;
  answerWithinDays: number;
  /** 0 while the defaults apply (never saved). */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export function defaultSurveySettings(tenantId: string): SurveySettings {
  const { enabled, kind, changeWindowHours, answerWithinDays } = SURVEY_SETTINGS_DEFAULTS;
  return { tenantId, enabled, kind, changeWindowHours, lowScoreThreshold: DEFAULT_LOW_SCORE_THRESHOLD[kind], answerWithinDays, version: 0, updatedAt: null, updatedBy: null };
}

const bounded = (limits: { min: number; max: number }) => z.int().check(z.minimum(limits.min), z.maximum(limits.max));

/** PUT /survey-settings replaces the whole settings; a field left out takes its default. */
export const surveySettingsInput = z.strictObject({
  enabled: z.boolean(),
  kind: z._default(z.enum(SURVEY_KINDS), SURVEY_SETTINGS_DEFAULTS.kind),
  changeWindowHours: z._default(bounded(SURVEY_SETTINGS_LIMITS.changeWindowHours), SURVEY_SETTINGS_DEFAULTS.changeWindowHours),
  /** Default: the kind's (CSAT 2, NPS 6). Must be a score of the kind, below its best. */
  lowScoreThreshold: z.optional(z.int()),
  answerWithinDays: z._default(bounded(SURVEY_SETTINGS_LIMITS.answerWithinDays), SURVEY_SETTINGS_DEFAULTS.answerWithinDays),
});
export type SurveySettingsInput = z.output<typeof surveySettingsInput>;

export class StaleSurveySettings extends PreconditionFailed {
  constructor(readonly currentVersion: number) {
    super(`The survey settings have changed since the version you sent; they are now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}

/** The settings a PUT stores over `before`, one version up; a threshold outside the kind's scale is 400 at `lowScoreThreshold`. */
export function replacedSurveySettings(before: SurveySettings, input: SurveySettingsInput, caller: Caller, nowIso: string): SurveySettings {
  const threshold = input.lowScoreThreshold ?? DEFAULT_LOW_SCORE_THRESHOLD[input.kind];
  const { min, max } = SURVEY_SCALES[input.kind];
  // At the best score every answer would be "low" and open a task: that is no threshold.
  if (!isScoreOf(input.kind, threshold) || threshold >= max) {
    throw new ValidationFailed([{ path: 'lowScoreThreshold', message: `Expected a whole number from ${min} to ${max - 1} for ${input.kind.toUpperCase()}` }]);
  }
  return {
    tenantId: before.tenantId,
    enabled: input.enabled,
    kind: input.kind,
    changeWindowHours: input.changeWindowHours,
    lowScoreThreshold: threshold,
    answerWithinDays: input.answerWithinDays,
    version: before.version + 1,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
}

export function surveySettingsView(s: SurveySettings) {
  return {
    enabled: s.enabled,
    kind: s.kind,
    changeWindowHours: s.changeWindowHours,
    lowScoreThreshold: s.lowScoreThreshold,
    answerWithinDays: s.answerWithinDays,
    isDefault: s.version === 0,
    version: s.version,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
  };
}

export function assertCanWriteSurveySettings(caller: Caller): void {
  if (!hasAnyGroup(caller, 'admin')) throw new Forbidden('Only admins change the survey settings');
}

/**
 * One survey: sent once per resolution of a case, answered through its signed links. It keeps
 * the settings it was sent under (kind, window, threshold) and who is credited (the case's
 * assignee and their team at resolution), so a later change of settings, assignee or team never
 * moves an answer between counters.
 */
export interface Survey {
  id: string;
  tenantId: string;
  caseId: string;
  customerId: string;
  kind: SurveyKind;
  agentId: string | null;
  teamId: string | null;
  /** The counters' month (UTC) of the resolution: a changed answer moves counts within it. */
  month: string;
  lowScoreThreshold: number;
  changeWindowHours: number;
  sentAt: string;
  /** Until when the links take a first answer. */
  expiresAt: string;
  score: number | null;
  comment: string | null;
  /** The first answer. */
  answeredAt: string | null;
  /** The last change of the answer (score or comment). */
  changedAt: string | null;
  /** Until when the answer may change: the first answer plus the change window. */
  changeableUntil: string | null;
  version: number;
}

export const monthOf = (iso: string) => iso.slice(0, 7);

const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export function newSurvey(
  spec: { id: string; tenantId: string; caseId: string; customerId: string; agentId: string | null; teamId: string | null },
  settings: Pick<SurveySettings, 'kind' | 'lowScoreThreshold' | 'changeWindowHours' | 'answerWithinDays'>,
  nowIso: string,
): Survey {
  return {
    ...spec,
    kind: settings.kind,
    month: monthOf(nowIso),
    lowScoreThreshold: settings.lowScoreThreshold,
    changeWindowHours: settings.changeWindowHours,
    sentAt: nowIso,
    expiresAt: plusMs(nowIso, settings.answerWithinDays * 86_400_000),
    score: null,
    comment: null,
    answeredAt: null,
    changedAt: null,
    changeableUntil: null,
    version: 1,
  };
}

export const isLow = (survey: Pick<Survey, 'lowScoreThreshold'>, score: number) => score <= survey.lowScoreThreshold;

/** What an answer does: it is recorded (first or changed), changes nothing, or is refused and why. */
export type AnswerDecision =
  | { outcome: 'recorded'; after: Survey; previousScore: number | null }
  | { outcome: 'unchanged' }
  | { outcome: 'expired' }
  | { outcome: 'closed' }
  | { outcome: 'needs-score' }
  | { outcome: 'bad-score' };

/**
 * An answer to a survey at `nowIso`: a score (from the link, or chosen on the comment page) and
 * an optional comment. The first answer needs a score and must come before the links expire; later
 * ones change the answer until the change window (from the first answer) ends. Repeating the
 * answer as it stands is always fine and changes nothing (a double submit, a reload).
 */
export function decideAnswer(survey: Survey, answer: { score?: number; comment?: string }, nowIso: string): AnswerDecision {
  if (answer.score !== undefined && !isScoreOf(survey.kind, answer.score)) return { outcome: 'bad-score' };
  const comment = answer.comment?.trim() ? answer.comment.trim().slice(0, COMMENT_MAX) : undefined;
  if (survey.score === null) {
    if (nowIso > survey.expiresAt) return { outcome: 'expired' };
    if (answer.score === undefined) return { outcome: 'needs-score' };
    const changeableUntil = plusMs(nowIso, survey.changeWindowHours * 3_600_000);
    return {
      outcome: 'recorded',
      previousScore: null,
      after: { ...survey, score: answer.score, comment: comment ?? null, answeredAt: nowIso, changedAt: nowIso, changeableUntil, version: survey.version + 1 },
    };
  }
  const score = answer.score ?? survey.score;
  const nextComment = comment ?? survey.comment;
  if (score === survey.score && nextComment === survey.comment) return { outcome: 'unchanged' };
  if (nowIso > (survey.changeableUntil ?? survey.answeredAt!)) return { outcome: 'closed' };
  return { outcome: 'recorded', previousScore: survey.score, after: { ...survey, score, comment: nextComment, changedAt: nowIso, version: survey.version + 1 } };
}

/**
 * How an answer moves a counter: a first answer adds one response, its score to the sum and one
 * to its score's bucket; a changed score moves the sum by the difference and one count from the
 * old bucket to the new (the number of responses stays). Attributes: `n`, `sum`, `s<score>`.
 */
export function counterDelta(previousScore: number | null, score: number): Record<string, number> {
  if (previousScore === null) return { n: 1, sum: score, [`s${score}`]: 1 };
  if (previousScore === score) return {};
  return { sum: score - previousScore, [`s${previousScore}`]: -1, [`s${score}`]: 1 };
}

export type SatisfactionCounter = Record<string, number>;

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The figures of one counter. CSAT: the share of satisfied answers (4 and 5) in percent and the
 * average score; NPS: promoters (9-10) minus detractors (0-6), in percent of the answers (-100 to
 * 100), with the three groups. Percentages to one decimal (NPS whole), null without answers.
 */
export function satisfactionFigures(kind: SurveyKind, counter: SatisfactionCounter) {
  const count = (score: number) => Math.max(0, counter[`s${score}`] ?? 0);
  const distribution = Object.fromEntries(scoresOf(kind).map((s) => [String(s), count(s)]));
  const responses = Math.max(0, counter.n ?? 0);
  const share = (k: number) => (responses ? round1((k / responses) * 100) : null);
  if (kind === 'csat') {
    const satisfied = count(4) + count(5);
    return { kind, responses, distribution, csat: { satisfied, satisfiedPercent: share(satisfied), average: responses ? round1((counter.sum ?? 0) / responses) : null }, nps: null };
  }
  const sum = (from: number, to: number) => scoresOf(kind).filter((s) => s >= from && s <= to).reduce((acc, s) => acc + count(s), 0);
  const promoters = sum(9, 10);
  const passives = sum(7, 8);
  const detractors = sum(0, 6);
  return { kind, responses, distribution, csat: null, nps: { promoters, passives, detractors, score: responses ? Math.round(((promoters - detractors) / responses) * 100) : null } };
}

/** The counters an answer moves: the tenant's, and the credited agent's and team's when there are. */
export function counterScopes(survey: Pick<Survey, 'agentId' | 'teamId'>): string[] {
  return ['ALL', ...(survey.agentId ? [`AGENT#${survey.agentId}`] : []), ...(survey.teamId ? [`TEAM#${survey.teamId}`] : [])];
}

/** The answer as the case shows it (`satisfaction` on GET /cases/{id}); null while unanswered. */
export function satisfactionView(s: Survey) {
  if (s.score === null) return null;
  return { surveyId: s.id, kind: s.kind, score: s.score, comment: s.comment, answeredAt: s.answeredAt!, changedAt: s.changedAt };
}

/** Of a case's surveys (one per resolution), the answer of the latest one answered. */
export function latestSatisfaction(surveys: readonly Survey[]) {
  const answered = surveys.filter((s) => s.score !== null).sort((a, b) => (a.sentAt < b.sentAt ? 1 : -1));
  return answered[0] ? satisfactionView(answered[0]) : null;
}

/** Who may read which figures: admins and managers any; agents their own and their team's. */
export function assertCanReadFigures(caller: Caller, scope: { agentId?: string; teamId?: string }): void {
  if (hasAnyGroup(caller, 'admin', 'manager')) return;
  if (!hasAnyGroup(caller, 'agent')) throw new Forbidden('Only agents, managers and admins read satisfaction figures');
  const own = (scope.agentId !== undefined && scope.agentId === caller.userId) || (scope.teamId !== undefined && scope.teamId === caller.teamId);
  if (!own) throw new Forbidden("Agents read their own figures (agentId=<you>) and their team's (teamId=<your team>)");
}
