import { describe, expect, it } from 'vitest';
import { Unauthenticated } from '../../../shared/errors';
import { callerFromClaims, parseGroupsClaim } from '../../../shared/http/caller';

describe('parseGroupsClaim', () => {
  it('reads the "[a b]" string API Gateway HTTP APIs pass for array claims', () => {
    expect(parseGroupsClaim('[admin rep]')).toEqual(['admin', 'rep']);
  });

  it('reads a real array', () => {
    expect(parseGroupsClaim(['manager'])).toEqual(['manager']);
  });

  it('drops groups the CRM does not know', () => {
    expect(parseGroupsClaim('[rep superuser]')).toEqual(['rep']);
  });

  it('treats a missing claim as no groups', () => {
    expect(parseGroupsClaim(undefined)).toEqual([]);
  });
});

describe('callerFromClaims', () => {
  it('takes user, tenant and groups from the Cognito claims', () => {
    expect(callerFromClaims({ sub: 'u-1', 'custom:tenantId': 'acme', 'cognito:groups': '[rep]' })).toEqual({
      userId: 'u-1',
      tenantId: 'acme',
      groups: ['rep'],
    });
  });

  it('takes the team from custom:teamId when the user has one', () => {
    expect(callerFromClaims({ sub: 'u-1', 'custom:tenantId': 'acme', 'custom:teamId': 'north', 'cognito:groups': '[manager]' })).toEqual({
      userId: 'u-1',
      tenantId: 'acme',
      groups: ['manager'],
      teamId: 'north',
    });
  });

  it('refuses a team id that could break out of a key or filter', () => {
    expect(() => callerFromClaims({ sub: 'u-1', 'custom:tenantId': 'acme', 'custom:teamId': 'north#x' })).toThrow(Unauthenticated);
  });

  it('refuses a token without a tenant', () => {
    expect(() => callerFromClaims({ sub: 'u-1' })).toThrow(Unauthenticated);
  });

  it('refuses a tenant id that could break out of its key prefix', () => {
    expect(() => callerFromClaims({ sub: 'u-1', 'custom:tenantId': 'acme#C#x' })).toThrow(Unauthenticated);
  });
});
