import { describe, expect, it } from 'vitest';
import { type Caller, type Group, GROUPS, hasAnyGroup } from '../../../shared/access/caller';
import { isAdmin, overseesReps, runsMarketing } from '../../../shared/access/permissions';

const as = (...groups: Group[]): Caller => ({ userId: 'u-1', tenantId: 'acme', groups });
const allowed = (check: (caller: Caller) => boolean) => GROUPS.filter((g) => check(as(g)));

describe('role checks', () => {
  it('hasAnyGroup is true when the caller has one of the groups', () => {
    expect(hasAnyGroup(as('rep', 'marketer'), 'admin', 'marketer')).toBe(true);
    expect(hasAnyGroup(as('rep'), 'admin', 'marketer')).toBe(false);
    expect(hasAnyGroup(as(), 'admin')).toBe(false);
  });

  it('names which groups each shared check lets through', () => {
    expect(allowed(isAdmin)).toEqual(['admin']);
    expect(allowed(runsMarketing)).toEqual(['admin', 'marketer']);
    expect(allowed(overseesReps)).toEqual(['admin', 'manager']);
  });

  it('lets a caller with several groups through when any of them is allowed', () => {
    expect(runsMarketing(as('rep', 'marketer'))).toBe(true);
    expect(overseesReps(as('agent', 'manager'))).toBe(true);
    expect(isAdmin(as('manager', 'marketer'))).toBe(false);
  });
});
