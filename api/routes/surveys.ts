import * as z from 'zod/mini';
import { DEFAULT_LOW_SCORE_THRESHOLD, SURVEY_KINDS, SURVEY_SETTINGS_DEFAULTS, SURVEY_SETTINGS_LIMITS, surveySettingsInput, type surveySettingsView } from '../../shared/surveys/survey';
import { staleVersion } from '../responses/common';
import { areaRoutes } from '../route';

const token = { token: 'The signed token of the link (`<payload>.<signature>`, base64url); it names tenant, customer, case, survey, the score (rating links) and the expiry.' };
const badToken = 'The token is not one this stage signed, or was changed, or is a comment token on a rating URL (`malformed-request`); the answer says nothing more.';
const gone = 'The survey took no first answer after its expiry (`survey-expired`), or it is no longer available: its customer was erased (`gone`).';
const publicBecause =
  'Survey links in the mail sent after a case is resolved are public by design (the requester has no account): the HMAC-signed token names the one survey and score, a tampered token gets a 400, and GET records nothing (docs/service.md, "Satisfaction surveys").';

const settingsResponse = z.object({
  enabled: z.boolean(),
  kind: z.enum(SURVEY_KINDS),
  changeWindowHours: z.number(),
  lowScoreThreshold: z.number(),
  answerWithinDays: z.number(),
  isDefault: z.boolean(),
  version: z.number(),
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
});

const figuresResponse = z.object({
  month: z.string(),
  agentId: z.nullable(z.string()),
  teamId: z.nullable(z.string()),
  kind: z.enum(SURVEY_KINDS),
  responses: z.number().check(z.describe('Surveys answered (a changed answer counts once)')),
  distribution: z.record(z.string(), z.number()).check(z.describe('Answers per score')),
  csat: z.nullable(z.object({ satisfied: z.number(), satisfiedPercent: z.nullable(z.number()), average: z.nullable(z.number()) })),
  nps: z.nullable(z.object({ promoters: z.number(), passives: z.number(), detractors: z.number(), score: z.nullable(z.number()) })),
});

const defaults =
  `off, ${SURVEY_SETTINGS_DEFAULTS.kind.toUpperCase()}, answers changeable for ${SURVEY_SETTINGS_DEFAULTS.changeWindowHours} hours, links open for ${SURVEY_SETTINGS_DEFAULTS.answerWithinDays} days, ` +
  `low score at most ${DEFAULT_LOW_SCORE_THRESHOLD.csat} (CSAT) or ${DEFAULT_LOW_SCORE_THRESHOLD.nps} (NPS)`;

/** Satisfaction surveys after a case is resolved (docs/service.md, "Satisfaction surveys"). */
export const SURVEYS_ROUTES = areaRoutes('surveys', 'service', [
  {
    method: 'GET',
    path: '/surveys/{token}',
    auth: 'none',
    publicBecause,
    handler: 'functions/surveys/show-survey.ts',
    access: { table: 'read', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Survey rating page (public)',
      description:
        'A rating link of the survey mail. Answers a small `text/html` page showing the rating with an optional comment field; its button POSTs to the same URL. ' +
        'GET records nothing, because mail scanners and link previews fetch every link of a mail. A rating that could no longer be recorded answers 409 or 410 already here.',
      tags: ['Service'],
      pathParameters: token,
      success: { status: 200, description: 'The confirmation page (text/html).' },
      errors: { 400: badToken, 409: 'The survey was answered with another score and its change window is over (`survey-closed`).', 410: gone },
    },
  },
  {
    method: 'POST',
    path: '/surveys/{token}',
    auth: 'none',
    publicBecause,
    handler: 'functions/surveys/answer-survey.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Record a survey rating (public)',
      description:
        'What the rating page\'s button sends (`application/x-www-form-urlencoded`, optional field `comment`, up to 2,000 characters). Records the link\'s score on the survey, ' +
        'moves the satisfaction counters and commits `crm.case.survey-answered.v1`, in one transaction. One answer per survey: another rating link (or a new comment) changes it within ' +
        'the change window from the first answer; repeating the answer as it stands changes nothing. Answers a `text/html` page.',
      tags: ['Service'],
      pathParameters: token,
      success: { status: 200, description: 'Recorded (text/html).' },
      errors: { 400: `${badToken} A comment over 2,000 characters (\`comment\`).`, 409: 'The change window is over (`survey-closed`); the answer stands.', 410: gone },
    },
  },
  {
    method: 'GET',
    path: '/surveys/{token}/comment',
    auth: 'none',
    publicBecause,
    handler: 'functions/surveys/show-survey-comment.ts',
    access: { table: 'read', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Survey comment page (public)',
      description: 'The "tell us more" link of the survey mail: a `text/html` form with the scores (the current answer checked) and a comment; it POSTs to the same URL. Records nothing.',
      tags: ['Service'],
      pathParameters: token,
      success: { status: 200, description: 'The comment form (text/html).' },
      errors: { 400: badToken, 410: gone },
    },
  },
  {
    method: 'POST',
    path: '/surveys/{token}/comment',
    auth: 'none',
    publicBecause,
    handler: 'functions/surveys/comment-survey.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Record a survey comment (public)',
      description:
        'The comment form (`application/x-www-form-urlencoded`: `score`, `comment`). The first answer needs a score; later ones may send a comment alone. Same rules and transaction as a rating. Answers a `text/html` page.',
      tags: ['Service'],
      pathParameters: token,
      success: { status: 200, description: 'Recorded (text/html).' },
      errors: { 400: `${badToken} No score on a first answer, or a score off the scale (\`score\`); a comment over 2,000 characters (\`comment\`).`, 409: 'The change window is over (`survey-closed`).', 410: gone },
    },
  },
  {
    method: 'GET',
    path: '/survey-settings',
    auth: 'jwt',
    handler: 'functions/surveys/get-survey-settings.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's survey settings",
      description: `Whether resolved cases are surveyed, CSAT or NPS, the change window, the low-score threshold and how long links take a first answer. Until an admin saves them: the defaults (${defaults}), \`isDefault: true\`, version 0 (ETag "0"). Any user of the tenant.`,
      tags: ['Service'],
      success: { status: 200, description: 'The settings.', schema: settingsResponse, headers: ['ETag'] },
    },
  },
  {
    method: 'PUT',
    path: '/survey-settings',
    auth: 'jwt',
    handler: 'functions/surveys/put-survey-settings.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Replace the survey settings',
      description:
        `Replaces the whole settings; a field left out takes its default. \`changeWindowHours\` ${SURVEY_SETTINGS_LIMITS.changeWindowHours.min}-${SURVEY_SETTINGS_LIMITS.changeWindowHours.max}, ` +
        `\`answerWithinDays\` ${SURVEY_SETTINGS_LIMITS.answerWithinDays.min}-${SURVEY_SETTINGS_LIMITS.answerWithinDays.max}, \`lowScoreThreshold\` a score of the kind below its best. ` +
        'Surveys already sent keep the settings they were sent under. If-Match names the version edited (`"0"` for the defaults). Admins.',
      tags: ['Service'],
      requestBody: { schema: surveySettingsInput, description: 'The whole settings. Unknown fields are rejected by name.' },
      ifMatch: true,
      success: { status: 200, description: 'The settings stored.', schema: settingsResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema, or `lowScoreThreshold` is off the kind\'s scale (`validation-failed`), or If-Match is not an ETag such as "3".',
        403: 'Only admins change the survey settings (`forbidden`).',
        412: staleVersion('settings'),
      },
    },
  },
  {
    method: 'GET',
    path: '/service/satisfaction',
    auth: 'jwt',
    handler: 'functions/surveys/get-satisfaction.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Satisfaction figures (CSAT, NPS)',
      description:
        'The figures of one month (surveys count in the month they were sent, UTC) for the tenant, an agent (`agentId`: the case\'s assignee at resolution) or a team (`teamId`: that agent\'s team then), ' +
        'from counters kept exactly with each answer (a changed answer moves its count). CSAT: share of 4 and 5 in percent and the average; NPS: promoters (9-10) minus detractors (0-6) in percent. ' +
        'One GetItem. Admins and managers read any figures; agents their own and their team\'s.',
      tags: ['Service'],
      queryParameters: {
        kind: { description: '`csat` or `nps`; the tenant\'s current kind when absent.', schema: z.string() },
        month: { description: '`YYYY-MM`; the current month when absent.', schema: z.string() },
        agentId: { description: 'One agent\'s figures.', schema: z.string() },
        teamId: { description: 'One team\'s figures.', schema: z.string() },
      },
      success: { status: 200, description: 'The figures.', schema: figuresResponse },
      errors: { 400: 'A bad `kind` or `month`, or both `agentId` and `teamId` (`validation-failed`, paths `query.<name>`).', 403: 'Not service staff, or an agent asking for someone else\'s figures (`forbidden`).' },
    },
  },
]);

// The documented responses must describe what the code returns (compile-time only).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _SurveySettingsResponseMatchesTheCode = Holds<Same<z.output<typeof settingsResponse>, ReturnType<typeof surveySettingsView>>>;
