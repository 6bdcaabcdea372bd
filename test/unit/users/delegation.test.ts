import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden, NotFound, ValidationFailed } from '../../../shared/errors';
import { installTimeSource } from '../../../shared/clock';
import { canSetDelegate, delegateFor, delegationOf, isDelegationActive } from '../../../shared/users/delegation';
import type { DirectoryUser } from '../../../shared/users/user';
import type { WriteOutcome } from '../../../shared/users/user-repository';
import { setDelegate } from '../../../shared/users/user-use-cases';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const rep: Caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep'] };
const admin: Caller = { userId: 'admin-1', tenantId: 't1', groups: ['admin'] };

afterEach(() => installTimeSource(Date.now));

const pathsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
};

describe('a delegation', () => {
  it('goes to another active user, ending in the future', () => {
    expect(delegationOf('rep-1', { delegateId: 'rep-2', until: '2026-12-24T18:00:00+01:00' }, { status: 'active' }, NOW)).toEqual({ userId: 'rep-2', until: '2026-12-24T17:00:00.000Z' });
    expect(delegationOf('rep-1', { delegateId: 'rep-2' }, { status: 'active' }, NOW)).toEqual({ userId: 'rep-2', until: null });
    expect(pathsOf(() => delegationOf('rep-1', { delegateId: 'rep-1' }, { status: 'active' }, NOW))).toEqual(['delegateId']);
    expect(pathsOf(() => delegationOf('rep-1', { delegateId: 'rep-2' }, { status: 'deactivated' }, NOW))).toEqual(['delegateId']);
    expect(pathsOf(() => delegationOf('rep-1', { delegateId: 'nobody' }, undefined, NOW))).toEqual(['delegateId']);
    expect(pathsOf(() => delegationOf('rep-1', { delegateId: 'rep-2', until: NOW.toISOString() }, { status: 'active' }, NOW))).toEqual(['until']);
  });

  it('holds without an end or until its end, and hands approvals to its delegate but never to the requester', () => {
    const until = (iso: string | null) => ({ userId: 'deputy', until: iso });
    expect(isDelegationActive(until(null), NOW)).toBe(true);
    expect(isDelegationActive(until('2026-12-07T12:00:01.000Z'), NOW)).toBe(true);
    expect(isDelegationActive(until('2026-12-07T12:00:00.000Z'), NOW)).toBe(false);
    expect(isDelegationActive(null, NOW)).toBe(false);
    expect(delegateFor(until('2026-12-08T00:00:00.000Z'), 'rep-1', NOW)).toBe('deputy');
    expect(delegateFor(until('2026-12-06T00:00:00.000Z'), 'rep-1', NOW)).toBeUndefined();
    expect(delegateFor(undefined, 'rep-1', NOW)).toBeUndefined();
    expect(delegateFor(until(null), 'deputy', NOW)).toBeUndefined();
  });

  it('is set by the user or an admin, on an entry that exists', async () => {
    installTimeSource(() => NOW.getTime());
    const users = new Map<string, DirectoryUser>([
      ['rep-1', { userId: 'rep-1', status: 'active', delegate: null, version: 3 } as DirectoryUser],
      ['rep-2', { userId: 'rep-2', status: 'active', delegate: null, version: 1 } as DirectoryUser],
    ]);
    const directory = {
      get: async (_t: string, id: string) => users.get(id),
      setDelegate: async (_t: string, id: string, delegate: DirectoryUser['delegate']): Promise<WriteOutcome> => {
        const user = users.get(id);
        if (!user) return { written: false, currentVersion: undefined };
        const after = { ...user, delegate, version: user.version + 1 };
        users.set(id, after);
        return { written: true, user: after };
      },
    };
    expect((await setDelegate(directory, rep, 'rep-1', { delegateId: 'rep-2' })).delegate).toEqual({ userId: 'rep-2', until: null });
    await expect(setDelegate(directory, rep, 'rep-2', { delegateId: 'rep-1' })).rejects.toBeInstanceOf(Forbidden);
    await expect(setDelegate(directory, rep, 'rep-1', { delegateId: 'rep-1' })).rejects.toBeInstanceOf(ValidationFailed);
    expect((await setDelegate(directory, admin, 'rep-1', null)).delegate).toBeNull();
    await expect(setDelegate(directory, admin, 'gone', null)).rejects.toBeInstanceOf(NotFound);
    expect(canSetDelegate(admin, 'rep-2')).toBe(true);
  });
});
