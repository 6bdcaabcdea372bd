import { caseSurveyAnsweredV1 } from '../../events/cases/case-survey-answered.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { Conflict, Gone, MalformedRequest, ValidationFailed } from '../errors';
import { newEvent } from '../outbox/outbox';
import {
  assertCanReadFigures,
  assertCanWriteSurveySettings,
  decideAnswer,
  isLow,
  replacedSurveySettings,
  satisfactionFigures,
  StaleSurveySettings,
  SURVEY_KINDS,
  type Survey,
  type SurveyKind,
  type SurveySettings,
  type SurveySettingsInput,
} from './survey';
import type { SurveyRepository } from './survey-repository';
import { InvalidSurveyToken, type SurveyClaims, verifySurveyToken } from './survey-token';

/** The links answer as this actor on the events (the customer has no user). */
const ACTOR = { type: 'system', id: 'survey-link' } as const;
/** Two answers of one survey at once: the loser reads again and decides again. */
const MAX_ATTEMPTS = 3;

export class SurveyExpired extends Gone {
  override readonly slug = 'survey-expired';
  constructor(expiresAt: string) {
    super(`This survey took answers until ${expiresAt}`);
  }
}

export class SurveyClosed extends Conflict {
  override readonly slug = 'survey-closed';
  constructor(score: number, until: string | null) {
    super(`This survey was answered (${score}); the answer could be changed until ${until ?? 'its first answer'}`);
    Object.assign(this.extensions, { score, changeableUntil: until });
  }
}

export interface SurveyLinkDeps {
  surveys: Pick<SurveyRepository, 'get' | 'answer'>;
  secret: () => Promise<string>;
}

/** The token's claims, or a 400 that says nothing about why it was refused. */
export async function readSurveyToken(deps: Pick<SurveyLinkDeps, 'secret'>, token: string | undefined): Promise<SurveyClaims> {
  try {
    return verifySurveyToken(token ?? '', await deps.secret());
  } catch (error) {
    if (error instanceof InvalidSurveyToken) throw new MalformedRequest('This survey link is not valid');
    throw error;
  }
}

async function surveyOf(deps: Pick<SurveyLinkDeps, 'surveys'>, claims: SurveyClaims): Promise<Survey> {
  const survey = await deps.surveys.get(claims.tenantId, claims.customerId, claims.caseId, claims.surveyId);
  // Signed by us but not there: its customer was erased (or the survey never stored). Either way, for good.
  if (!survey) throw new Gone('This survey is no longer available');
  return survey;
}

/** A score the token or the form names, as a number; 400 at `score` for anything else. */
function scoreFrom(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isNaN(n)) throw new ValidationFailed([{ path: 'score', message: 'Expected a whole number' }]);
  return n;
}

function refusal(survey: Survey, decision: ReturnType<typeof decideAnswer>): Error | undefined {
  switch (decision.outcome) {
    case 'expired':
      return new SurveyExpired(survey.expiresAt);
    case 'closed':
      return new SurveyClosed(survey.score!, survey.changeableUntil);
    case 'needs-score':
      return new ValidationFailed([{ path: 'score', message: 'Pick a score first' }]);
    case 'bad-score': {
      const range = survey.kind === 'csat' ? '1 to 5' : '0 to 10';
      return new ValidationFailed([{ path: 'score', message: `Expected a score from ${range}` }]);
    }
    default:
      return undefined;
  }
}

export type AnswerResult = { survey: Survey; outcome: 'recorded' | 'unchanged' };

/**
 * What a survey link's page shows (GET): the survey as it stands, after checking what the answer
 * would do, without writing anything (link scanners fetch every link). A rating link that could no
 * longer be recorded says so now (410 expired, 409 closed) rather than after the click.
 */
export async function previewSurveyAnswer(deps: SurveyLinkDeps, token: string | undefined, via: 'rating' | 'comment'): Promise<{ survey: Survey; score: number | null }> {
  const claims = await readSurveyToken(deps, token);
  if (via === 'rating' && claims.score === undefined) throw new MalformedRequest('This survey link is not valid');
  const survey = await surveyOf(deps, claims);
  const decision = decideAnswer(survey, via === 'rating' ? { score: claims.score } : {}, clock.nowIso());
  const refused = decision.outcome === 'needs-score' ? undefined : refusal(survey, decision);
  if (refused) throw refused;
  return { survey, score: via === 'rating' ? claims.score! : survey.score };
}

/**
 * POST of a survey link: records the answer (the rating link's score, or the comment page's choice)
 * and an optional comment, with its counters and `crm.case.survey-answered.v1` in one transaction.
 * One answer per survey: a later one changes it within the change window; repeating the answer as
 * it stands changes nothing; a changed score moves the counts, it never adds a response.
 */
export async function answerSurvey(
  deps: SurveyLinkDeps,
  token: string | undefined,
  via: 'rating' | 'comment',
  form: { score?: string; comment?: string },
  correlationId: string,
): Promise<AnswerResult> {
  const claims = await readSurveyToken(deps, token);
  if (via === 'rating' && claims.score === undefined) throw new MalformedRequest('This survey link is not valid');
  const score = via === 'rating' ? claims.score : scoreFrom(form.score);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const survey = await surveyOf(deps, claims);
    const nowIso = clock.nowIso();
    const decision = decideAnswer(survey, { score, comment: form.comment }, nowIso);
    const refused = refusal(survey, decision);
    if (refused) throw refused;
    if (decision.outcome === 'unchanged') return { survey, outcome: 'unchanged' };
    if (decision.outcome !== 'recorded') continue;
    const { after, previousScore } = decision;
    const detail = newEvent(caseSurveyAnsweredV1, { tenantId: after.tenantId, actor: ACTOR, correlationId }, {
      caseId: after.caseId,
      customerId: after.customerId,
      surveyId: after.id,
      kind: after.kind,
      score: after.score,
      previousScore,
      low: isLow(after, after.score!),
      hasComment: after.comment !== null,
      agentId: after.agentId,
      teamId: after.teamId,
      answeredAt: nowIso,
    });
    if ((await deps.surveys.answer(after, survey.version, previousScore, { detailType: caseSurveyAnsweredV1.detailType, detail })) === 'written') return { survey: after, outcome: 'recorded' };
  }
  throw new Conflict('The survey kept changing while answering; try again');
}

/** GET /survey-settings: any user of the tenant; the defaults, version 0, until an admin saves them. */
export async function getSurveySettings(repository: Pick<SurveyRepository, 'settings'>, caller: Caller): Promise<SurveySettings> {
  return repository.settings(caller.tenantId);
}

/** PUT /survey-settings: admins replace the settings at the version they read (If-Match; "0" for the defaults). */
export async function putSurveySettings(repository: Pick<SurveyRepository, 'settings' | 'replaceSettings'>, caller: Caller, input: SurveySettingsInput, expectedVersion: number): Promise<SurveySettings> {
  assertCanWriteSurveySettings(caller);
  const before = await repository.settings(caller.tenantId, true);
  if (before.version !== expectedVersion) throw new StaleSurveySettings(before.version);
  const after = replacedSurveySettings(before, input, caller, clock.nowIso());
  await repository.replaceSettings(after, expectedVersion);
  return after;
}

/**
 * GET /service/satisfaction?kind=&month=&agentId=|teamId=: the figures of one counter, one
 * GetItem. Without agentId or teamId: the tenant's. The kind defaults to the tenant's current one,
 * the month to the current one (UTC; surveys count in the month they were sent).
 */
export async function satisfactionFiguresFor(repository: Pick<SurveyRepository, 'settings' | 'counter'>, caller: Caller, query: Record<string, string | undefined>) {
  const { agentId, teamId } = query;
  if (agentId !== undefined && teamId !== undefined) throw new ValidationFailed([{ path: 'query.teamId', message: 'Name an agent or a team, not both' }]);
  if (query.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(query.month)) throw new ValidationFailed([{ path: 'query.month', message: 'Expected a month such as 2026-12' }]);
  if (query.kind !== undefined && !(SURVEY_KINDS as readonly string[]).includes(query.kind)) throw new ValidationFailed([{ path: 'query.kind', message: 'Expected csat or nps' }]);
  assertCanReadFigures(caller, { agentId, teamId });
  const kind = (query.kind as SurveyKind | undefined) ?? (await repository.settings(caller.tenantId)).kind;
  const month = query.month ?? clock.nowIso().slice(0, 7);
  const scope = agentId ? `AGENT#${agentId}` : teamId ? `TEAM#${teamId}` : 'ALL';
  const counter = await repository.counter(caller.tenantId, kind, month, scope);
  return { month, agentId: agentId ?? null, teamId: teamId ?? null, ...satisfactionFigures(kind, counter) };
}
