import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flattenClaims, LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokens } from '../../../local/local-tokens';

let tokens: LocalTokens;
const tempDirs: string[] = [];

beforeAll(async () => {
  tokens = await LocalTokens.create();
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-tokens-'));
  tempDirs.push(dir);
  return dir;
}

/** The payload of a JWT, read without verifying it. */
function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('LocalTokens', () => {
  it('verifies the tokens it issues and returns the Cognito-like claims', async () => {
    const token = await tokens.issue({ sub: 'user-1', tenantId: 'acme', groups: ['admin', 'rep'], email: 'ada@acme.test' });

    const claims = await tokens.verify(token);

    expect(claims).toMatchObject({
      sub: 'user-1',
      'cognito:groups': ['admin', 'rep'],
      'custom:tenantId': 'acme',
      'cognito:username': 'user-1',
      email: 'ada@acme.test',
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
    });
  });

  it('defaults the email to sub@tenant.example', async () => {
    const token = await tokens.issue({ sub: 'user-2', tenantId: 'globex', groups: [] });

    const claims = await tokens.verify(token);

    expect(claims?.email).toBe('user-2@globex.example');
  });

  it('expires after 12 hours by default', async () => {
    const token = await tokens.issue({ sub: 'u', tenantId: 't', groups: [] });

    const { iat, exp } = payloadOf(token) as { iat: number; exp: number };

    expect(exp - iat).toBe(12 * 3600);
  });

  it('signs with RS256 under the key id "local"', async () => {
    const token = await tokens.issue({ sub: 'u', tenantId: 't', groups: [] });

    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as unknown;

    expect(header).toEqual({ alg: 'RS256', kid: 'local' });
  });

  it('rejects a token signed by another LocalTokens instance', async () => {
    const other = await LocalTokens.create();
    const foreign = await other.issue({ sub: 'u', tenantId: 't', groups: ['admin'] });

    const claims = await tokens.verify(foreign);

    expect(claims).toBeUndefined();
  });

  it('rejects an expired token', async () => {
    const expired = await tokens.issue({ sub: 'u', tenantId: 't', groups: [], expiresIn: '-1m' });
    expect((payloadOf(expired).exp as number) * 1000).toBeLessThan(Date.now());

    const claims = await tokens.verify(expired);

    expect(claims).toBeUndefined();
  });

  describe('after a first successful verification', () => {
    afterEach(() => vi.useRealTimers());

    it('accepts the same token again while it is valid', async () => {
      const token = await tokens.issue({ sub: 'u', tenantId: 'acme', groups: ['rep'] });

      await tokens.verify(token);

      expect((await tokens.verify(token))?.sub).toBe('u');
    });

    it('still rejects it once it has expired', async () => {
      const token = await tokens.issue({ sub: 'u', tenantId: 'acme', groups: ['rep'], expiresIn: '1h' });
      expect(await tokens.verify(token)).toBeDefined();

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 2 * 3600_000);

      expect(await tokens.verify(token)).toBeUndefined();
    });
  });

  it('rejects a token whose payload was altered', async () => {
    const token = await tokens.issue({ sub: 'u', tenantId: 'acme', groups: ['rep'] });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payloadOf(token), 'cognito:groups': ['admin'] })).toString('base64url');

    const claims = await tokens.verify(`${header}.${forged}.${signature}`);

    expect(claims).toBeUndefined();
  });

  it('rejects something that is not a JWT', async () => {
    const claims = await tokens.verify('not-a-jwt');

    expect(claims).toBeUndefined();
  });

  it('refuses to issue a token with unknown groups', async () => {
    const act = tokens.issue({ sub: 'u', tenantId: 't', groups: ['rep', 'superuser'] });

    await expect(act).rejects.toThrow(/Unknown groups: superuser/);
  });

  it('keeps its signing key in the data dir so a re-created instance verifies earlier tokens', async () => {
    const dir = tempDir();
    const first = await LocalTokens.create(dir);
    const token = await first.issue({ sub: 'u', tenantId: 't', groups: ['agent'] });

    const second = await LocalTokens.create(dir);
    const claims = await second.verify(token);

    expect(claims?.['cognito:groups']).toEqual(['agent']);
  });

  it('a re-created instance issues tokens the first one verifies', async () => {
    const dir = tempDir();
    const first = await LocalTokens.create(dir);

    const second = await LocalTokens.create(dir);
    const claims = await first.verify(await second.issue({ sub: 'later', tenantId: 't', groups: [] }));

    expect(claims?.sub).toBe('later');
  });

  it('instances in different data dirs do not trust each other', async () => {
    const a = await LocalTokens.create(tempDir());
    const b = await LocalTokens.create(tempDir());

    const claims = await b.verify(await a.issue({ sub: 'u', tenantId: 't', groups: [] }));

    expect(claims).toBeUndefined();
  });
});

describe('flattenClaims', () => {
  it('renders arrays as "[a b]" and every other value as a string', () => {
    const claims = { 'cognito:groups': ['admin', 'rep'], exp: 1700000000, sub: 'u', email_verified: true };

    const flat = flattenClaims(claims);

    expect(flat).toEqual({ 'cognito:groups': '[admin rep]', exp: '1700000000', sub: 'u', email_verified: 'true' });
  });

  it('renders an empty array as "[]"', () => {
    const flat = flattenClaims({ 'cognito:groups': [] });

    expect(flat).toEqual({ 'cognito:groups': '[]' });
  });
});
