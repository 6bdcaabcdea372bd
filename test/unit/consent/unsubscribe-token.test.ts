import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { optOut, UNSUBSCRIBE_SOURCE } from '../../../shared/consent/consent-opt-out';
import { InvalidUnsubscribeToken, signUnsubscribeToken, unsubscribeHeaders, verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const CLAIMS = { tenantId: 't-1', customerId: '01JCUSTOMER0000000000000000', topic: 'marketing', issuedAt: '2026-11-23T12:00:00.000Z' };

/** Flips one character of the token's part at `index` (0 payload, 1 signature). */
function tamper(token: string, part: 0 | 1): string {
  const parts = token.split('.');
  const s = parts[part]!;
  parts[part] = `${s.slice(0, 3)}${s[3] === 'A' ? 'B' : 'A'}${s.slice(4)}`;
  return parts.join('.');
}

describe('unsubscribe tokens', () => {
  it('verify to the claims they were signed with, with and without a contact', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(CLAIMS, SECRET), SECRET)).toEqual(CLAIMS);
    const forContact = { ...CLAIMS, contactId: '01JCONTACT00000000000000000' };
    expect(verifyUnsubscribeToken(signUnsubscribeToken(forContact, SECRET), SECRET)).toEqual(forContact);
  });

  it('carry the campaign that sent the mail when given one; tokens without it stay valid', () => {
    const forCampaign = { ...CLAIMS, campaignId: '01JCAMPAIGN0000000000000000' };
    const token = signUnsubscribeToken(forCampaign, SECRET);
    expect(verifyUnsubscribeToken(token, SECRET)).toEqual(forCampaign);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'))).toMatchObject({ m: forCampaign.campaignId });
    const withEverything = { ...forCampaign, contactId: '01JCONTACT00000000000000000' };
    expect(verifyUnsubscribeToken(signUnsubscribeToken(withEverything, SECRET), SECRET)).toEqual(withEverything);
    // A token from before campaigns had ids in it (no `m`) verifies without one.
    const legacyPayload = Buffer.from(JSON.stringify({ t: CLAIMS.tenantId, c: CLAIMS.customerId, p: CLAIMS.topic, i: CLAIMS.issuedAt })).toString('base64url');
    const legacy = `${legacyPayload}.${createHmac('sha256', SECRET).update(legacyPayload).digest('base64url')}`;
    expect(verifyUnsubscribeToken(legacy, SECRET)).toEqual(CLAIMS);
    expect(verifyUnsubscribeToken(legacy, SECRET)).not.toHaveProperty('campaignId');
  });

  it('with every claim at its longest still fit the length limit', () => {
    const longest = { tenantId: 't'.repeat(64), customerId: 'c'.repeat(64), contactId: 'o'.repeat(64), campaignId: 'm'.repeat(64), topic: `a${'b'.repeat(39)}`, issuedAt: '2026-11-23T12:00:00.000+01:00' };
    expect(verifyUnsubscribeToken(signUnsubscribeToken(longest, SECRET), SECRET)).toEqual(longest);
  });

  it('with an automation send at its longest (automation and event ids, no campaign) still fit the length limit', () => {
    const longest = { tenantId: 't'.repeat(64), customerId: 'c'.repeat(64), contactId: 'o'.repeat(64), automationId: 'a'.repeat(64), eventId: 'e'.repeat(64), topic: `a${'b'.repeat(39)}`, issuedAt: '2026-11-23T12:00:00.000+01:00' };
    expect(verifyUnsubscribeToken(signUnsubscribeToken(longest, SECRET), SECRET)).toEqual(longest);
  });

  it('refuse an automation or event claim that is not an id', () => {
    expect(() => signUnsubscribeToken({ ...CLAIMS, automationId: 'a.b', eventId: 'e-1' }, SECRET)).toThrow();
    expect(() => signUnsubscribeToken({ ...CLAIMS, automationId: 'a-1', eventId: 'e#1' }, SECRET)).toThrow();
  });

  it('refuse a campaign claim that is not an id, signed or read', () => {
    expect(() => signUnsubscribeToken({ ...CLAIMS, campaignId: 'a.b' }, SECRET)).toThrow();
    const payload = Buffer.from(JSON.stringify({ t: 't-1', c: 'c-1', m: 'cmp#1', p: 'marketing', i: CLAIMS.issuedAt })).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(() => verifyUnsubscribeToken(`${payload}.${sig}`, SECRET)).toThrow(InvalidUnsubscribeToken);
  });

  it('are URL-safe path segments', () => {
    expect(signUnsubscribeToken(CLAIMS, SECRET)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuse a changed payload or signature, another secret, and garbage, all alike', () => {
    const token = signUnsubscribeToken(CLAIMS, SECRET);
    for (const bad of [tamper(token, 0), tamper(token, 1), `${token}.x`, 'nonsense', '', `${token.split('.')[0]}.`, 'x'.repeat(900)]) {
      expect(() => verifyUnsubscribeToken(bad, SECRET), bad).toThrow(InvalidUnsubscribeToken);
    }
    expect(() => verifyUnsubscribeToken(token, `${SECRET}-other`)).toThrow(InvalidUnsubscribeToken);
  });

  it('cannot be moved to another tenant or customer: the payload is what is signed', () => {
    const token = signUnsubscribeToken(CLAIMS, SECRET);
    const otherPayload = Buffer.from(JSON.stringify({ t: 't-2', c: CLAIMS.customerId, p: 'marketing', i: CLAIMS.issuedAt })).toString('base64url');
    expect(() => verifyUnsubscribeToken(`${otherPayload}.${token.split('.')[1]}`, SECRET)).toThrow(InvalidUnsubscribeToken);
  });

  it('a validly signed token with malformed claims is refused too', () => {
    // Signed by us but not by signUnsubscribeToken (which refuses such claims): still no way in.
    const payload = Buffer.from(JSON.stringify({ t: 't-1', c: 'a.b', p: 'marketing', i: 'yesterday' })).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(() => verifyUnsubscribeToken(`${payload}.${sig}`, SECRET)).toThrow(InvalidUnsubscribeToken);
  });

  it('are not signed with a short secret or for bad claims', () => {
    expect(() => signUnsubscribeToken(CLAIMS, 'short')).toThrow(/32 characters/);
    expect(() => signUnsubscribeToken({ ...CLAIMS, topic: 'Not A Topic' }, SECRET)).toThrow();
  });

  it('do not expire: a link from a mail read a year later still verifies', () => {
    const old = signUnsubscribeToken({ ...CLAIMS, issuedAt: '2020-01-01T00:00:00.000Z' }, SECRET);
    expect(verifyUnsubscribeToken(old, SECRET).issuedAt).toBe('2020-01-01T00:00:00.000Z');
  });
});

describe('unsubscribe headers', () => {
  it('give the page link and the RFC 8058 one-click pair', () => {
    const { url, headers } = unsubscribeHeaders('https://api.example.com/', 'abc.def');
    expect(url).toBe('https://api.example.com/unsubscribe/abc.def');
    expect(headers).toEqual([
      { name: 'List-Unsubscribe', value: '<https://api.example.com/unsubscribe/abc.def>' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('opting out', () => {
  const granted = { marketing: { granted: true, at: '2026-01-01T00:00:00.000Z', source: 'api' } };

  it('records the topic as refused with the time and the unsubscribe-link source, keeping other topics', () => {
    const other = { newsletter: { granted: true, at: '2026-01-01T00:00:00.000Z', source: 'api' } };
    expect(optOut({ ...granted, ...other }, 'marketing', '2026-11-23T12:00:00.000Z')).toEqual({
      ...other,
      marketing: { granted: false, at: '2026-11-23T12:00:00.000Z', source: UNSUBSCRIBE_SOURCE },
    });
  });

  it('records a refusal for a topic never answered', () => {
    expect(optOut({}, 'marketing', '2026-11-23T12:00:00.000Z')).toEqual({ marketing: { granted: false, at: '2026-11-23T12:00:00.000Z', source: UNSUBSCRIBE_SOURCE } });
  });

  it('changes nothing when the topic is already refused (the first evidence stays)', () => {
    expect(optOut({ marketing: { granted: false, at: '2026-02-01T00:00:00.000Z', source: 'api' } }, 'marketing', '2026-11-23T12:00:00.000Z')).toBeUndefined();
  });
});
