import { openToken, signToken } from '../signed-token';

/**
 * Signed survey links (docs/service.md, "Satisfaction surveys"). A token names the survey it
 * answers (tenant, customer partition, case, survey), the score the link stands for (none on the
 * comment link) and until when the links take a first answer. `<payload>.<signature>`, both
 * base64url, as the unsubscribe tokens: the payload is JSON, the signature HMAC-SHA256 over it.
 *
 * The key is not the stage's link secret itself but HMAC(secret, "crm-survey-link-v1"): one stored
 * secret, two keys, so no unsubscribe token can ever pass as a survey answer or the reverse, even
 * if the payloads happened to parse.
 */
export interface SurveyClaims {
  tenantId: string;
  customerId: string;
  caseId: string;
  surveyId: string;
  /** The score this link records; absent on the comment link. */
  score?: number;
  /** ISO time until which the survey takes a first answer (the page says "expired" after it). */
  expiresAt: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_LABEL = 'crm-survey-link-v1';

/** One message for every failure: a caller learns nothing about why (tampered, foreign, garbled). */
export class InvalidSurveyToken extends Error {
  constructor() {
    super('Invalid survey token');
  }
}

export function signSurveyToken(claims: SurveyClaims, secret: string): string {
  assertClaims(claims);
  const fields = { t: claims.tenantId, c: claims.customerId, k: claims.caseId, s: claims.surveyId, ...(claims.score === undefined ? {} : { v: claims.score }), e: claims.expiresAt };
  return signToken(fields, secret, KEY_LABEL);
}

/** The claims of a token this stage signed; InvalidSurveyToken for anything else. Expiry is the caller's to judge. */
export function verifySurveyToken(token: string, secret: string): SurveyClaims {
  const raw = openToken(token, secret, KEY_LABEL);
  if (!raw) throw new InvalidSurveyToken();
  const claims: SurveyClaims = {
    tenantId: String(raw.t),
    customerId: String(raw.c),
    caseId: String(raw.k),
    surveyId: String(raw.s),
    ...(raw.v === undefined ? {} : { score: Number(raw.v) }),
    expiresAt: String(raw.e),
  };
  try {
    assertClaims(claims);
  } catch {
    throw new InvalidSurveyToken();
  }
  return claims;
}

function assertClaims(c: SurveyClaims): void {
  const ok =
    ID.test(c.tenantId) &&
    ID.test(c.customerId) &&
    ID.test(c.caseId) &&
    ID.test(c.surveyId) &&
    (c.score === undefined || (Number.isInteger(c.score) && c.score >= 0 && c.score <= 10)) &&
    !Number.isNaN(Date.parse(c.expiresAt));
  if (!ok) throw new Error('Survey claims need ids, a score from 0 to 10 (or none) and an ISO expiry');
}

/** The public URLs of a survey: one per score, and the comment page. */
export function surveyUrls(apiBaseUrl: string, claims: Omit<SurveyClaims, 'score'>, scores: readonly number[], secret: string) {
  const base = apiBaseUrl.replace(/\/+$/, '');
  return {
    scores: scores.map((score) => ({ score, url: `${base}/surveys/${signSurveyToken({ ...claims, score }, secret)}` })),
    comment: `${base}/surveys/${signSurveyToken(claims, secret)}/comment`,
  };
}
