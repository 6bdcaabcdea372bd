import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden, StaleVersion, ValidationFailed } from '../../../shared/errors';
import type { IdentityProvider } from '../../../shared/users/identity-provider';
import type { DirectoryUser } from '../../../shared/users/user';
import type { UserChange, WriteOutcome } from '../../../shared/users/user-repository';
import { activateUser, type BookHandOver, deactivateUser, inviteUser, updateUser, UserExists } from '../../../shared/users/user-use-cases';
import { rejectionPaths } from '../validation-paths';

const admin: Caller = { userId: 'admin-1', tenantId: 't1', groups: ['admin'] };
const manager: Caller = { userId: 'mgr-1', tenantId: 't1', groups: ['manager'], teamId: 'north' };

function world() {
  const users = new Map<string, DirectoryUser>();
  const calls: string[] = [];
  const signIns = new Map<string, string>();
  const identity: IdentityProvider = {
    invite: async (user) => {
      calls.push(`invite ${user.email}`);
      const existing = signIns.get(user.email);
      if (existing) return { userId: existing, existed: true };
      const userId = `sub-${signIns.size + 1}`;
      signIns.set(user.email, userId);
      return { userId, existed: false };
    },
    update: async (userId, change) => void calls.push(`update ${userId} ${JSON.stringify(change)}`),
    setEnabled: async (userId, enabled) => void calls.push(`${enabled ? 'enable' : 'disable'} ${userId}`),
  };
  const set = (userId: string, fields: Partial<DirectoryUser>, expected?: number): WriteOutcome => {
    const user = users.get(userId);
    if (!user) return { written: false, currentVersion: undefined };
    if (expected !== undefined && user.version !== expected) return { written: false, currentVersion: user.version };
    const after = { ...user, ...fields, version: user.version + 1 };
    users.set(userId, after);
    return { written: true, user: after };
  };
  const directory = {
    get: async (_t: string, id: string) => users.get(id),
    create: async (user: DirectoryUser) => (users.has(user.userId) ? false : (users.set(user.userId, user), true)),
    update: async (_t: string, id: string, change: UserChange, expected: number) => set(id, change, expected),
    setStatus: async (_t: string, id: string, status: DirectoryUser['status'], by: string, at: string) =>
      set(id, { status, deactivatedAt: status === 'deactivated' ? at : null, deactivatedBy: status === 'deactivated' ? by : null }),
  };
  const owned = new Map<string, number>();
  const handOver: BookHandOver<{ id: string }> = {
    ownedCount: async (_t, id) => owned.get(id) ?? 0,
    check: async (_c, _id, destination) => {
      calls.push(`check ${JSON.stringify(destination)}`);
      if (destination.toUserId === 'nobody') throw new ValidationFailed([{ path: 'toUserId', message: 'unknown' }]);
    },
    start: async (_c, id, destination) => (calls.push(`hand over ${id} ${JSON.stringify(destination)}`), { id: 'transfer-1' }),
  };
  return { users, calls, owned, deps: { directory, identity, handOver } };
}

const invitation = { email: 'ana@example.com', name: 'Ana', groups: ['rep' as const], teamId: 'north' };

describe('inviting a user', () => {
  it('creates the sign-in, then the entry under its id; a second invitation is 409 with the id', async () => {
    const { deps, users } = world();
    const ana = await inviteUser(deps, admin, { ...invitation, groups: ['rep', 'manager', 'rep'] });
    expect(ana).toMatchObject({ userId: 'sub-1', groups: ['manager', 'rep'], status: 'active', version: 1, createdBy: 'admin-1' });
    expect(users.get('sub-1')).toEqual(ana);
    const again = await inviteUser(deps, admin, invitation).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(UserExists);
    expect((again as UserExists).extensions).toMatchObject({ userId: 'sub-1' });
  });

  it('completes an invitation whose entry a crash kept from being written', async () => {
    const { deps, users } = world();
    await deps.identity.invite({ ...invitation, tenantId: 't1', teamId: 'north' });
    expect(users.size).toBe(0);
    expect((await inviteUser(deps, admin, invitation)).userId).toBe('sub-1');
  });

  it('is for admins, and wants a manager who is an active user', async () => {
    const { deps, calls } = world();
    await expect(inviteUser(deps, manager, invitation)).rejects.toBeInstanceOf(Forbidden);
    expect(await rejectionPaths(inviteUser(deps, admin, { ...invitation, managerId: 'nobody' }))).toEqual(['managerId']);
    expect(calls).toEqual([]);
  });
});

describe('changing a user', () => {
  it('writes the named fields at the version sent, and tells the identity provider only what tokens carry', async () => {
    const { deps, calls } = world();
    const ana = await inviteUser(deps, admin, invitation);
    await inviteUser(deps, admin, { ...invitation, email: 'bo@example.com', name: 'Bo' });
    calls.length = 0;
    const managed = await updateUser(deps, admin, ana.userId, { managerId: 'sub-2' }, 1);
    expect(managed).toMatchObject({ managerId: 'sub-2', teamId: 'north', version: 2 });
    expect(calls).toEqual([]);
    await expect(updateUser(deps, admin, ana.userId, { name: 'Ana B' }, 1)).rejects.toBeInstanceOf(StaleVersion);
    const moved = await updateUser(deps, admin, ana.userId, { teamId: null, groups: ['rep', 'admin'] }, 2);
    expect(moved).toMatchObject({ teamId: null, groups: ['admin', 'rep'], managerId: 'sub-2' });
    expect(calls).toEqual([`update sub-1 ${JSON.stringify({ groups: ['rep', 'admin'], teamId: null })}`]);
    expect(await rejectionPaths(updateUser(deps, admin, ana.userId, { managerId: ana.userId }, 3))).toEqual(['managerId']);
  });
});

describe('deactivating a user', () => {
  it('wants a destination while they own customers, and checks it before anything changes', async () => {
    const { deps, calls, owned, users } = world();
    const ana = await inviteUser(deps, admin, invitation);
    owned.set(ana.userId, 4);
    calls.length = 0;
    expect(await rejectionPaths(deactivateUser(deps, admin, ana.userId, {}, 'c1'))).toEqual(['toUserId']);
    expect(await rejectionPaths(deactivateUser(deps, admin, ana.userId, { toUserId: 'nobody' }, 'c1'))).toEqual(['toUserId']);
    expect(calls).toEqual([`check ${JSON.stringify({ toUserId: 'nobody' })}`]);
    expect(users.get(ana.userId)?.status).toBe('active');
  });

  it('disables the sign-in, marks the entry and hands the book on; again, it completes the same without a second change', async () => {
    const { deps, calls } = world();
    const ana = await inviteUser(deps, admin, invitation);
    calls.length = 0;
    const first = await deactivateUser(deps, admin, ana.userId, { poolId: 'P1' }, 'c1');
    expect(first).toMatchObject({ user: { status: 'deactivated', deactivatedBy: 'admin-1', version: 2 }, transfer: { id: 'transfer-1' } });
    expect(calls).toEqual([`check ${JSON.stringify({ poolId: 'P1' })}`, `disable ${ana.userId}`, `hand over ${ana.userId} ${JSON.stringify({ poolId: 'P1' })}`]);
    const second = await deactivateUser(deps, admin, ana.userId, {}, 'c2');
    expect(second).toMatchObject({ user: { status: 'deactivated', version: 2 }, transfer: null });

    const back = await activateUser(deps, admin, ana.userId);
    expect(back).toMatchObject({ status: 'active', deactivatedAt: null, version: 3 });
  });

  it('refuses an admin deactivating themself, and anyone but admins', async () => {
    const { deps } = world();
    expect(await rejectionPaths(deactivateUser(deps, admin, 'admin-1', {}, 'c'))).toEqual(['path.userId']);
    await expect(deactivateUser(deps, manager, 'sub-1', {}, 'c')).rejects.toBeInstanceOf(Forbidden);
  });
});
