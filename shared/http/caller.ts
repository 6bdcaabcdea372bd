import * as z from 'zod/mini';
import { type Caller, type Group, GROUPS } from '../access/caller';
import { Unauthenticated } from '../errors';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway HTTP APIs flatten array claims into one string such as "[admin rep]"; a Lambda
 * invoked otherwise (tests, other integrations) may see a real array. Accept both.
 */
export function parseGroupsClaim(value: unknown): Group[] {
  const raw = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return raw.filter((g): g is Group => (GROUPS as readonly string[]).includes(g));
}

const claimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  'custom:tenantId': z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  'custom:teamId': z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
});

/** The caller as the JWT authorizer verified it. */
export function callerFromClaims(claims: Claims | undefined): Caller {
  const parsed = claimsSchema.safeParse(claims ?? {});
  if (!parsed.success) throw new Unauthenticated('A valid token with a tenant is required');
  return {
    userId: parsed.data.sub,
    tenantId: parsed.data['custom:tenantId'],
    groups: parseGroupsClaim(claims?.['cognito:groups']),
    ...(parsed.data['custom:teamId'] ? { teamId: parsed.data['custom:teamId'] } : {}),
  };
}
