import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

/**
 * Webhooks end to end through the local runtime (docs/integrations.md, "Webhooks"): a receiver on
 * loopback in this process gets the tenant's matching events signed per Standard Webhooks, a
 * failed attempt is retried by the sweep, the log tells each attempt, a rotation signs with both
 * secrets for a while, and addresses that could reach inside the cloud are refused.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
interface Delivery {
  id: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

const received: Received[] = [];
/** Per path, how many of the next requests answer 500. */
const failNext = new Map<string, number>();
/** Per path, an answer held until the test lets it go: a delivery, and so its replay, still running. */
const holding = new Map<string, Promise<void>>();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    const path = req.url ?? '/';
    received.push({ path, headers: req.headers, body });
    const failing = failNext.get(path) ?? 0;
    if (failing > 0) failNext.set(path, failing - 1);
    void (holding.get(path) ?? Promise.resolve()).then(() => res.writeHead(failing > 0 ? 500 : 204).end());
  });
});

/** Holds the path's answers until the returned function is called. */
function hold(path: string): () => void {
  let release = () => {};
  holding.set(path, new Promise<void>((resolve) => (release = resolve)));
  return () => {
    holding.delete(path);
    release();
  };
}
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const at = (path: string) => received.filter((r) => r.path === path);

async function subscribed(pattern: Record<string, unknown> = { 'detail-type': ['crm.customer.created.v1'] }) {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const path = `/hooks/${tenant}`;
  const created = await call<{ id: string; secret: string; enabled: boolean }>('POST', '/webhooks', { token: admin, body: { url: `${base}${path}`, eventPattern: pattern, description: 'ERP sync' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { tenant, admin, rep, path, webhook: created.body };
}

const deliveries = async (token: string, id: string) => (await call<{ items: Delivery[] }>('GET', `/webhooks/${id}/deliveries`, { token })).body.items;
type Payload = { type: string; data: { id: string; data: Record<string, unknown> } };

/** Verified as a receiver would, at the runtime's time: other tests move its clock, and the signed timestamp is the runtime's. */
async function verify(secret: string, r: Received): Promise<Payload> {
  const now = (await call<{ now: string }>('GET', '/_local/clock')).body.now;
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(now) });
  try {
    return new StandardWebhook(secret).verify(r.body, r.headers as Record<string, string>) as Payload;
  } finally {
    vi.useRealTimers();
  }
}

describe('webhooks', () => {
  it("deliver the tenant's matching events, signed per Standard Webhooks, and log each delivery", async () => {
    const { admin, rep, path, webhook } = await subscribed();
    expect(webhook.secret).toMatch(/^whsec_/);
    const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Hooked AG' } })).body;
    // Not matched by the pattern: no delivery.
    await call('PATCH', `/customers/${customer.id}`, { token: rep, body: { industry: 'Retail' }, headers: { 'if-match': '"1"' } });
    await settle();

    const got = at(path);
    expect(got).toHaveLength(1);
    const payload = await verify(webhook.secret, got[0]!);
    expect(payload.type).toBe('crm.customer.created.v1');
    expect(payload.data.data.customerId).toBe(customer.id);
    expect(got[0]!.headers['webhook-id']).toBe(payload.data.id);
    // Another secret does not verify it.
    await expect(verify(`whsec_${Buffer.from('x'.repeat(24)).toString('base64')}`, got[0]!)).rejects.toThrow();

    const log = await deliveries(admin, webhook.id);
    expect(log).toEqual([expect.objectContaining({ id: payload.data.id, status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null })]);
    // Secrets are shown once: not on reads.
    expect(JSON.stringify((await call('GET', `/webhooks/${webhook.id}`, { token: admin })).body)).not.toContain('whsec_');
  });

  it('retry a failed attempt with the same id and body once its backoff passed, through the sweep', async () => {
    const { admin, rep, path, webhook } = await subscribed();
    failNext.set(path, 1);
    await call('POST', '/customers', { token: rep, body: { name: 'Flaky AG' } });
    await settle();
    const [pending] = await deliveries(admin, webhook.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
    expect(pending!.nextAttemptAt).not.toBeNull();

    expect(at(path)).toHaveLength(1);
    expect((await call('POST', '/_local/clock', { body: { advance: 'PT2M' } })).status).toBe(200);
    expect((await call('POST', '/_local/schedules/webhook-retries/run')).status).toBe(200);
    await settle();

    const attempts = at(path);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.headers['webhook-id']).toBe(attempts[0]!.headers['webhook-id']);
    expect(attempts[1]!.body).toBe(attempts[0]!.body);
    expect((await deliveries(admin, webhook.id))[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204 });
  });

  it('send a delivery again on request, and sign with both secrets while a rotation overlaps', async () => {
    const { admin, rep, path, webhook } = await subscribed();
    await call('POST', '/customers', { token: rep, body: { name: 'Rotated AG' } });
    await settle();
    const [first] = await deliveries(admin, webhook.id);
    const rotated = await call<{ secret: string; previousSecretRetiresAt: string | null }>('POST', `/webhooks/${webhook.id}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(webhook.secret);
    expect(rotated.body.previousSecretRetiresAt).not.toBeNull();

    const again = await call<Delivery>('POST', `/webhooks/${webhook.id}/deliveries/${first!.id}/retry`, { token: admin });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ status: 'delivered', attempts: 2 });
    const last = at(path).at(-1)!;
    expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect((await verify(rotated.body.secret, last)).type).toBe('crm.customer.created.v1');
    expect((await verify(webhook.secret, last)).type).toBe('crm.customer.created.v1');
    expect((await call('POST', `/webhooks/${webhook.id}/deliveries/01JD0000000000000000000000/retry`, { token: admin })).status).toBe(404);
  });

  it('refuse metadata and link-local addresses, bad patterns and anyone but admins, by name', async () => {
    const { admin, rep, webhook } = await subscribed();
    const post = (body: Record<string, unknown>, token = admin) => call<{ errors?: { path: string }[] }>('POST', '/webhooks', { token, body });
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/', 'ftp://example.com/x', 'https://user:pw@example.com/x']) {
      const refused = await post({ url, eventPattern: { source: ['crm'] } });
      expect(refused.status, url).toBe(400);
      expect(refused.body.errors!.map((e) => e.path)).toEqual(['url']);
    }
    const badPattern = await post({ url: `${base}/x`, eventPattern: { detail: { data: { to: 'won' } } } });
    expect(badPattern.status).toBe(400);
    expect(badPattern.body.errors![0]!.path).toMatch(/^eventPattern/);
    expect((await post({ url: `${base}/x`, eventPattern: { source: ['crm'] } }, rep)).status).toBe(403);
    const stale = await call('PATCH', `/webhooks/${webhook.id}`, { token: admin, body: { enabled: false }, headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(412);
    const off = await call<{ enabled: boolean; version: number }>('PATCH', `/webhooks/${webhook.id}`, { token: admin, body: { enabled: false }, headers: { 'if-match': '"1"' } });
    expect(off.body).toMatchObject({ enabled: false, version: 2 });
    expect((await call('DELETE', `/webhooks/${webhook.id}`, { token: admin })).status).toBe(204);
    expect((await call('GET', `/webhooks/${webhook.id}`, { token: admin })).status).toBe(404);
  });

  it('switch off a webhook whose every attempt failed for 24 hours, and mail its admins once', async () => {
    const { admin, rep, path, webhook } = await subscribed();
    const adminAddress = uniqueEmail('hook-admin');
    expect((await call('POST', '/users', { token: admin, body: { email: adminAddress, name: 'Hook Admin', groups: ['admin'] } })).status).toBe(201);
    failNext.set(path, 1000);
    await call('POST', '/customers', { token: rep, body: { name: 'Down AG' } });
    await settle();
    const failing = await call<{ enabled: boolean; failingSince: string | null }>('GET', `/webhooks/${webhook.id}`, { token: admin });
    expect(failing.body.enabled).toBe(true);
    expect(failing.body.failingSince).not.toBeNull();

    expect((await call('POST', '/_local/clock', { body: { advance: 'PT25H' } })).status).toBe(200);
    for (let run = 0; run < 2; run++) {
      expect((await call('POST', '/_local/schedules/webhook-retries/run')).status).toBe(200);
      await settle();
    }
    const off = (await call<{ enabled: boolean; disabledReason: string | null }>('GET', `/webhooks/${webhook.id}`, { token: admin })).body;
    expect(off.enabled).toBe(false);
    expect(off.disabledReason, JSON.stringify(off)).toMatch(/failed since/);
    const { body } = await call<{ emails: { to: string[]; subject: string }[] }>('GET', '/_local/emails');
    expect(body.emails.filter((m) => m.to.includes(adminAddress) && m.subject.startsWith('A webhook')).map((m) => m.subject)).toEqual([`A webhook was switched off: ${base}${path}`]);
    failNext.delete(path);

    // Switched on again by an admin: healthy from scratch.
    const on = await call<{ enabled: boolean; failingSince: string | null; disabledReason: string | null }>('PATCH', `/webhooks/${webhook.id}`, { token: admin, body: { enabled: true }, headers: { 'if-match': '"2"' } });
    expect(on.body).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
  });

  it("replay a time range from the event archive to one webhook: again to it, for the first time to one created since, to no other", async () => {
    const { admin, rep, path, webhook } = await subscribed();
    const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Replayed AG' } })).body;
    await settle();
    expect(at(path)).toHaveLength(1);
    const laterPath = `${path}/later`;
    const later = (await call<{ id: string; secret: string }>('POST', '/webhooks', { token: admin, body: { url: `${base}${laterPath}`, eventPattern: { 'detail-type': ['crm.customer.created.v1'] } } })).body;

    const now = Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
    const range = { from: new Date(now - 30 * 86_400_000).toISOString(), to: new Date(now).toISOString() };
    const replayed = await call<{ replayName: string }>('POST', `/webhooks/${later.id}/replay`, { token: admin, body: range });
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(202);
    expect(replayed.body.replayName).toMatch(new RegExp(`^whr-${later.id}-`));
    await settle();
    const got = at(laterPath);
    expect(got).toHaveLength(1);
    const payload = await verify(later.secret, got[0]!);
    expect(payload.data.data.customerId).toBe(customer.id);
    // The first webhook was not replayed to.
    expect(at(path)).toHaveLength(1);

    // Replayed to the first: the delivered event goes again, same webhook-id; once per replay.
    expect((await call('POST', `/webhooks/${webhook.id}/replay`, { token: admin, body: range })).status).toBe(202);
    await settle();
    expect(at(path)).toHaveLength(2);
    expect(at(path)[1]!.headers['webhook-id']).toBe(at(path)[0]!.headers['webhook-id']);
    expect((await deliveries(admin, webhook.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });

    const reversed = await call<{ errors?: { path: string }[] }>('POST', `/webhooks/${webhook.id}/replay`, { token: admin, body: { from: range.to, to: range.from } });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors!.map((e) => e.path)).toEqual(['to']);
    const tooLong = await call<{ errors?: { path: string }[] }>('POST', `/webhooks/${webhook.id}/replay`, { token: admin, body: { from: new Date(now - 40 * 86_400_000).toISOString(), to: range.to } });
    expect(tooLong.body.errors!.map((e) => e.path)).toEqual(['from']);
  });

  it('one replay of a webhook runs at a time: a second is refused naming the first, of two at once one starts, and a new one starts once it ended', async () => {
    const { admin, rep, path, webhook } = await subscribed();
    await call('POST', '/customers', { token: rep, body: { name: 'Once AG' } });
    await settle();
    expect(at(path)).toHaveLength(1);
    const now = Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
    const range = { from: new Date(now - 86_400_000).toISOString(), to: new Date(now).toISOString() };
    const replay = () => call<{ replayName?: string; type?: string; detail?: string; running?: { replayName: string; from: string; to: string; startedAt: string } }>('POST', `/webhooks/${webhook.id}/replay`, { token: admin, body: range });

    // The receiver holds its answer, so the replay's delivery, and the replay, still run.
    let release = hold(path);
    const first = await replay();
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const refused = await replay();
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toBe('urn:crm:problem:replay-running');
    expect(refused.body.detail).toContain(first.body.replayName);
    expect(refused.body.running).toMatchObject({ replayName: first.body.replayName, from: range.from, to: range.to });
    release();
    await settle();
    // The refused one sent nothing: the event went once more, for the first replay alone.
    expect(at(path)).toHaveLength(2);

    // Ended: a new one starts. Two at once: exactly one of them.
    release = hold(path);
    const both = await Promise.all([replay(), replay()]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const started = both.find((r) => r.status === 202)!;
    expect(both.find((r) => r.status === 409)!.body.running?.replayName).toBe(started.body.replayName);
    release();
    await settle();
    expect(at(path)).toHaveLength(3);

    expect((await replay()).status).toBe(202);
    await settle();
    expect(at(path)).toHaveLength(4);
  });
});
