import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface User {
  userId: string;
  email: string;
  name: string;
  groups: string[];
  teamId: string | null;
  managerId: string | null;
  managerName?: string | null;
  status: string;
  version: number;
  bookTransfer?: { id: string; status: string } | null;
  type?: string;
  errors?: { path: string }[];
}

const localToken = async (body: Record<string, unknown>) => call<{ token?: string; message?: string }>('POST', '/_local/tokens', { body });

async function invite(admin: string, body: Record<string, unknown>) {
  const res = await call<User>('POST', '/users', { token: admin, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function mailTo(address: string) {
  const { body } = await call<{ emails: { to: string[]; subject: string; text?: string }[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(address));
}

describe('inviting users', () => {
  it('creates the sign-in with tenant, team and groups, mails the temporary password, and lists the user under the id the user pool gave', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const email = uniqueEmail('ana');
    const ana = await invite(admin, { email, name: 'Ana Rep', groups: ['rep'], teamId: 'north' });
    expect(ana).toMatchObject({ email, name: 'Ana Rep', groups: ['rep'], teamId: 'north', status: 'active', version: 1, createdBy: 'admin-1' });
    expect(ana.userId).toMatch(/^[0-9a-f-]{36}$/);

    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('temporary password');

    // She signs in (locally: by her email) and her token carries what the admin set.
    const signIn = await localToken({ email });
    expect(signIn.status).toBe(200);
    const me = await call<User>('GET', `/users/${ana.userId}`, { token: signIn.body.token });
    expect(me.status).toBe(200);
    expect(me.headers.get('etag')).toBe('"1"');
    const customer = await call<{ ownerId: string; ownerName: string; createdByName: string; teamId: string }>('POST', '/customers', { token: signIn.body.token, body: { name: 'Ana Co', emails: [uniqueEmail('co')] } });
    expect(customer.status).toBe(201);
    expect(customer.body).toMatchObject({ ownerId: ana.userId, ownerName: 'Ana Rep', createdByName: 'Ana Rep', teamId: 'north' });
  });

  it('answers 409 for a user invited twice, and checks the manager', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const email = uniqueEmail('bo');
    const bo = await invite(admin, { email, name: 'Bo', groups: ['manager'], teamId: 'north' });
    const again = await call<User>('POST', '/users', { token: admin, body: { email, name: 'Bo', groups: ['manager'] } });
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('user-exists');

    const unknownManager = await call<User>('POST', '/users', { token: admin, body: { email: uniqueEmail('cy'), name: 'Cy', groups: ['rep'], managerId: 'nobody' } });
    expect(unknownManager.status).toBe(400);
    expect(unknownManager.body.errors?.map((e) => e.path)).toEqual(['managerId']);
    const cy = await invite(admin, { email: uniqueEmail('cy'), name: 'Cy', groups: ['rep'], managerId: bo.userId });
    expect(cy).toMatchObject({ managerId: bo.userId, managerName: 'Bo' });

    // Another tenant cannot take an address that already signs in here.
    const otherAdmin = await tokenFor(newTenant(), 'admin-9', ['admin']);
    const taken = await call<User>('POST', '/users', { token: otherAdmin, body: { email, name: 'Bo', groups: ['rep'] } });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toContain('email-taken');

    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    expect((await call('POST', '/users', { token: rep, body: { email: uniqueEmail('x'), name: 'X', groups: ['rep'] } })).status).toBe(403);
    const noGroups = await call<User>('POST', '/users', { token: admin, body: { email: uniqueEmail('x'), name: 'X', groups: [] } });
    expect(noGroups.body.errors?.map((e) => e.path)).toEqual(['groups']);
  });
});

describe('changing a user', () => {
  it('needs If-Match, changes only the named fields, and the next token carries the new groups and team', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const email = uniqueEmail('di');
    const di = await invite(admin, { email, name: 'Di', groups: ['rep'], teamId: 'north' });

    expect((await call('PATCH', `/users/${di.userId}`, { token: admin, body: { groups: ['manager'] } })).status).toBe(428);
    const changed = await call<User>('PATCH', `/users/${di.userId}`, { token: admin, body: { groups: ['rep', 'manager'], teamId: 'south' }, headers: { 'if-match': '"1"' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Di', groups: ['manager', 'rep'], teamId: 'south', version: 2 });
    expect(changed.headers.get('etag')).toBe('"2"');
    const stale = await call<User>('PATCH', `/users/${di.userId}`, { token: admin, body: { name: 'Diana' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const token = (await localToken({ email })).body.token!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ 'custom:teamId': 'south', 'custom:tenantId': tenant });
    expect((claims['cognito:groups'] as string[]).sort()).toEqual(['manager', 'rep']);

    const cleared = await call<User>('PATCH', `/users/${di.userId}`, { token: admin, body: { teamId: null }, headers: { 'if-match': '"2"' } });
    expect(cleared.body.teamId).toBeNull();
    const after = JSON.parse(Buffer.from((await localToken({ email })).body.token!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(after['custom:teamId']).toBeUndefined();
  });
});

describe('deactivating a user', () => {
  it("refuses without a destination while they own customers, then hands the book on, ends their sign-in and API access, and keeps them from new work", async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const leaverEmail = uniqueEmail('leaver');
    const leaver = await invite(admin, { email: leaverEmail, name: 'Lee Leaver', groups: ['rep'], teamId: 'north' });
    const heir = await invite(admin, { email: uniqueEmail('heir'), name: 'Hal Heir', groups: ['rep'], teamId: 'north' });
    const leaverToken = (await localToken({ email: leaverEmail })).body.token!;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call<{ id: string }>('POST', '/customers', { token: leaverToken, body: { name: `Leaver Co ${i}`, emails: [uniqueEmail('lc')] } });
      ids.push(res.body.id);
    }

    const missing = await call<User>('POST', `/users/${leaver.userId}/deactivate`, { token: admin, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((e) => e.path)).toEqual(['toUserId']);
    const badTarget = await call<User>('POST', `/users/${leaver.userId}/deactivate`, { token: admin, body: { toUserId: 'nobody' } });
    expect(badTarget.status).toBe(400);
    // A refused request changed nothing: the leaver still works.
    expect((await call('GET', `/customers/${ids[0]}`, { token: leaverToken })).status).toBe(200);
    expect((await call('POST', '/users/admin-1/deactivate', { token: admin, body: {} })).status).toBe(400);

    const done = await call<User>('POST', `/users/${leaver.userId}/deactivate`, { token: admin, body: { toUserId: heir.userId } });
    expect(done.status, JSON.stringify(done.body)).toBe(202);
    expect(done.body).toMatchObject({ status: 'deactivated', deactivatedBy: 'admin-1' });
    expect(done.body.bookTransfer).toMatchObject({ status: 'running' });
    await settle();
    const transfer = await call<{ status: string; moved: number; toUserName: string; fromUserName: string }>('GET', `/users/${leaver.userId}/transfer`, { token: admin });
    expect(transfer.body).toMatchObject({ status: 'done', moved: 3, toUserName: 'Hal Heir', fromUserName: 'Lee Leaver' });
    for (const id of ids) {
      expect((await call<{ ownerId: string; ownerName: string }>('GET', `/customers/${id}`, { token: admin })).body).toMatchObject({ ownerId: heir.userId, ownerName: 'Hal Heir' });
    }

    // No new sign-in; the token already issued is refused once the functions' copy of the directory renews (30 s).
    expect((await localToken({ email: leaverEmail })).status).toBe(403);
    await call('POST', '/_local/clock', { body: { advance: 'PT31S' } });
    const refused = await call<{ status: number }>('GET', `/customers/${ids[0]}`, { token: leaverToken });
    expect(refused.status).toBe(401);

    // Nobody can give them work.
    const assign = await call<User>('POST', `/customers/${ids[0]}/assign`, { token: admin, body: { ownerId: leaver.userId } });
    expect(assign.status).toBe(400);
    expect(assign.body.errors?.map((e) => e.path)).toEqual(['ownerId']);
    const task = await call<User>('POST', '/tasks', { token: admin, body: { title: 'Call', type: 'call', dueAt: '2027-01-10T09:00:00Z', customerId: ids[0], assigneeId: leaver.userId } });
    expect(task.status).toBe(400);
    expect(task.body.errors?.map((e) => e.path)).toEqual(['assigneeId']);

    // Deactivating again is harmless; reactivating lets them sign in again.
    expect((await call<User>('POST', `/users/${leaver.userId}/deactivate`, { token: admin, body: {} })).status).toBe(200);
    const back = await call<User>('POST', `/users/${leaver.userId}/activate`, { token: admin });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'active', deactivatedAt: null });
    const fresh = await localToken({ email: leaverEmail });
    expect(fresh.status).toBe(200);
  });
});
