import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { InvalidSurveyToken, signSurveyToken, surveyUrls, verifySurveyToken } from '../../../shared/surveys/survey-token';
import { ID_FORMATS } from '../../../shared/id-formats';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const claims = { tenantId: 'acme', customerId: '01JD0000000000000000000002', caseId: '01JD0000000000000000000042', surveyId: '01JD0000000000000000000046', expiresAt: '2027-01-06T10:00:00.000Z' };

describe('survey tokens', () => {
  it('round-trips the claims of a rating link and of a comment link', () => {
    expect(verifySurveyToken(signSurveyToken({ ...claims, score: 4 }, SECRET), SECRET)).toEqual({ ...claims, score: 4 });
    expect(verifySurveyToken(signSurveyToken(claims, SECRET), SECRET)).toEqual(claims);
    // NPS 0 is a score, not "no score".
    expect(verifySurveyToken(signSurveyToken({ ...claims, score: 0 }, SECRET), SECRET).score).toBe(0);
  });

  it('refuses a token whose payload was changed (another score, another survey)', () => {
    const token = signSurveyToken({ ...claims, score: 1 }, SECRET);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ t: 'acme', c: claims.customerId, k: claims.caseId, s: claims.surveyId, v: 5, e: claims.expiresAt })).toString('base64url');
    expect(() => verifySurveyToken(`${forged}.${signature}`, SECRET)).toThrow(InvalidSurveyToken);
  });

  it('refuses another secret, garbage, extra dots and an over-long token', () => {
    const token = signSurveyToken({ ...claims, score: 3 }, SECRET);
    expect(() => verifySurveyToken(token, `${SECRET}-other`)).toThrow(InvalidSurveyToken);
    for (const bad of ['', 'abc', 'a.b', `${token}.x`, `${token.slice(0, -2)}xx`, 'x'.repeat(900)]) expect(() => verifySurveyToken(bad, SECRET), bad).toThrow(InvalidSurveyToken);
  });

  it('never takes an unsubscribe token as a survey answer, nor the reverse: each signs with its own key', () => {
    const unsubscribe = signUnsubscribeToken({ tenantId: 'acme', customerId: claims.customerId, topic: 'service-surveys', issuedAt: '2026-12-07T10:00:00.000Z' }, SECRET);
    expect(() => verifySurveyToken(unsubscribe, SECRET)).toThrow(InvalidSurveyToken);
    expect(() => verifyUnsubscribeToken(signSurveyToken({ ...claims, score: 5 }, SECRET), SECRET)).toThrow();
  });

  it('signs claims only with ids, a score of 0-10 and an ISO expiry', () => {
    expect(() => signSurveyToken({ ...claims, score: 11 }, SECRET)).toThrow();
    expect(() => signSurveyToken({ ...claims, surveyId: 'a.b' }, SECRET)).toThrow();
    expect(() => signSurveyToken({ ...claims, expiresAt: 'soon' }, SECRET)).toThrow();
  });

  it('makes one URL per score and a comment URL, each a path segment the API accepts', () => {
    const urls = surveyUrls('https://api.example.com/', claims, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], SECRET);
    expect(urls.scores.map((s) => s.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const { url, score } of urls.scores) {
      const token = url.slice('https://api.example.com/surveys/'.length);
      expect(ID_FORMATS.unsubscribeToken.pattern.test(token), url).toBe(true);
      expect(verifySurveyToken(token, SECRET).score).toBe(score);
    }
    expect(urls.comment).toMatch(/^https:\/\/api\.example\.com\/surveys\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/comment$/);
  });
});
