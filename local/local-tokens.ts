import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { GROUPS } from '../shared/access/caller';

export const LOCAL_ISSUER = 'https://cognito-idp.local-1.amazonaws.com/local-1_LocalUserPool';
export const LOCAL_AUDIENCE = 'local-app-client';

export interface TokenRequest {
  sub: string;
  tenantId: string;
  groups: string[];
  teamId?: string;
  email?: string;
  expiresIn?: string;
}

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * Signs ID tokens with the claims Cognito puts in them (sub, cognito:groups, custom:tenantId,
 * token_use), and verifies them the way the HTTP API's JWT authorizer does (issuer, audience,
 * expiry, signature). The key persists in the data dir so tokens survive a restart.
 */
/** Verified tokens, by their text, until they expire: a client sends the same token many times. */
const MAX_CACHED_TOKENS = 10_000;

export class LocalTokens {
  private readonly verified = new Map<string, { claims: Record<string, unknown>; expiresAtMs: number }>();

  private constructor(
    private readonly privateKey: Key,
    private readonly publicKey: Key,
  ) {}

  static async create(dataDir?: string): Promise<LocalTokens> {
    const file = dataDir ? join(dataDir, 'local-signing-key.json') : undefined;
    if (file && existsSync(file)) {
      const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
      return new LocalTokens((await importJWK(jwk, 'RS256')) as Key, (await importJWK(publicJwk, 'RS256')) as Key);
    }
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    if (file) {
      mkdirSync(dataDir!, { recursive: true });
      writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
    }
    return new LocalTokens(privateKey, publicKey);
  }

  async issue(request: TokenRequest): Promise<string> {
    const unknown = request.groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
    if (unknown.length) throw new RangeError(`Unknown groups: ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
    return new SignJWT({
      'cognito:groups': request.groups,
      'custom:tenantId': request.tenantId,
      ...(request.teamId ? { 'custom:teamId': request.teamId } : {}),
      'cognito:username': request.sub,
      email: request.email ?? `${request.sub}@${request.tenantId}.example`,
      token_use: 'id',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'local' })
      .setSubject(request.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(request.expiresIn ?? '12h')
      .sign(this.privateKey);
  }

  /**
   * Returns the claims, or undefined when API Gateway would answer 401. A token that verified once
   * is the same bytes under the same key, so only its expiry needs checking again (signature
   * checks were ~13% of the local API's CPU per request, docs/benchmarks.md).
   */
  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    const cached = this.verified.get(token);
    if (cached) {
      if (Date.now() < cached.expiresAtMs) return cached.claims;
      this.verified.delete(token);
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE });
      if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
      this.verified.set(token, { claims: payload as Record<string, unknown>, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

/** API Gateway HTTP APIs hand claims to Lambda as strings; arrays become "[a b]". */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
  );
}
