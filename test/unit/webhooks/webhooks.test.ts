import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { installTimeSource } from '../../../shared/clock';
import {
  healthAfter,
  REPLAY_START_GRACE_SECONDS,
  replayedFor,
  replayNameFor,
  replayRangeErrors,
  replayStillRuns,
  type Webhook,
  type WebhookReplay,
  rotatedSecrets,
  signingSecrets,
  webhookErrors,
} from '../../../shared/webhooks/webhook';
import type { ReplayGateway } from '../../../shared/webhooks/webhook-replay-gateway';
import type { WebhookRepository } from '../../../shared/webhooks/webhook-repository';
import { ReplayRunning, replayWebhook } from '../../../shared/webhooks/webhook-use-cases';
import { recipientsOf } from '../../../shared/webhooks/webhook-disabled-mail-use-case';
import type { DirectoryUser } from '../../../shared/users/user';
import { AWS_RULES, LOCAL_RULES, addressRefusal, urlRefusal } from '../../../shared/webhooks/webhook-address';
import { afterAttempt, backoffSeconds, type Delivery, newDelivery, retried } from '../../../shared/webhooks/webhook-delivery';
import { signatureHeaders } from '../../../shared/webhooks/webhook-gateway';

describe('where webhooks may deliver', () => {
  it.each([
    ['169.254.169.254', LOCAL_RULES],
    ['169.254.170.2', LOCAL_RULES],
    ['fd00:ec2::254', LOCAL_RULES],
    ['::ffff:169.254.169.254', LOCAL_RULES],
    ['fe80::1', LOCAL_RULES],
    ['0.0.0.0', LOCAL_RULES],
    ['10.0.0.8', AWS_RULES],
    ['172.31.255.1', AWS_RULES],
    ['192.168.1.1', AWS_RULES],
    ['127.0.0.1', AWS_RULES],
    ['::1', AWS_RULES],
    ['100.64.0.1', AWS_RULES],
    ['fc00::1', AWS_RULES],
    ['::ffff:10.0.0.1', AWS_RULES],
  ])('refuses %s', (address, rules) => {
    expect(addressRefusal(address, rules)).toBeDefined();
  });

  it('allows public addresses, and loopback only locally', () => {
    for (const address of ['8.8.8.8', '2606:4700::1111', '52.94.236.248']) expect(addressRefusal(address, AWS_RULES)).toBeUndefined();
    expect(addressRefusal('127.0.0.1', LOCAL_RULES)).toBeUndefined();
    expect(addressRefusal('::1', LOCAL_RULES)).toBeUndefined();
  });

  it('takes https URLs of public hosts in AWS; http and loopback locally; never credentials', () => {
    expect(urlRefusal('https://hooks.example.com/crm', AWS_RULES)).toBeUndefined();
    expect(urlRefusal('http://hooks.example.com/crm', AWS_RULES)).toMatch(/https/);
    expect(urlRefusal('https://localhost/x', AWS_RULES)).toMatch(/public host/);
    expect(urlRefusal('https://metadata.google.internal/x', AWS_RULES)).toMatch(/public host/);
    expect(urlRefusal('http://localhost:8080/x', LOCAL_RULES)).toBeUndefined();
    expect(urlRefusal('https://a:b@example.com/', LOCAL_RULES)).toMatch(/credentials/);
    expect(urlRefusal('not a url', LOCAL_RULES)).toMatch(/absolute URL/);
    expect(webhookErrors({ url: 'http://169.254.169.254/', eventPattern: { source: 'crm' } }, LOCAL_RULES).map((e) => e.path)).toEqual(['url', 'eventPattern.source']);
  });
});

const NOW = '2026-12-07T10:00:00.000Z';
const delivery = (): Delivery => newDelivery({ id: 'E1', tenantId: 't', webhookId: 'W1', eventType: 'crm.customer.created.v1', payload: '{}' }, NOW);
const plus = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

describe('delivery attempts', () => {
  it('back off exponentially from 30 s to 6 h, scaled by a jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 0.999999))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(1, 0)).toBe(15);
    expect(backoffSeconds(20, 0.999999)).toBe(6 * 3600);
  });

  it('are delivered on a 2xx, due again after a failure, failed once the 24 hours are over', () => {
    const ok = afterAttempt(delivery(), { statusCode: 204, latencyMs: 12, error: null }, NOW, 0.5);
    expect(ok).toMatchObject({ status: 'delivered', attempts: 1, nextAttemptAt: null, deliveredAt: NOW, lastStatusCode: 204 });
    const failed = afterAttempt(delivery(), { statusCode: 503, latencyMs: 40, error: 'HTTP 503' }, NOW, 0.999999);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: plus(30), lastError: 'HTTP 503' });
    const late = afterAttempt({ ...delivery(), attempts: 12 }, { statusCode: null, latencyMs: 10_000, error: 'timeout' }, plus(23 * 3600), 0.999999);
    expect(late).toMatchObject({ status: 'failed', nextAttemptAt: null });
    // A user's retry starts a new window.
    expect(afterAttempt(retried(late, plus(30 * 3600)), { statusCode: 500, latencyMs: 1, error: null }, plus(30 * 3600), 0.5).status).toBe('pending');
  });
});

describe('signing secrets', () => {
  const webhook = { secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: NOW, retiresAt: null }] } as unknown as Webhook;

  it('overlap after a rotation, then retire', () => {
    const rotated = rotatedSecrets(webhook, NOW);
    expect(rotated).toHaveLength(2);
    expect(rotated[1]).toMatchObject({ secret: webhook.secrets[0]!.secret, retiresAt: plus(24 * 3600) });
    expect(signingSecrets({ secrets: rotated }, plus(3600))).toHaveLength(2);
    expect(signingSecrets({ secrets: rotated }, plus(25 * 3600))).toEqual([rotated[0]!.secret]);
    // Rotating again drops what retired.
    expect(rotatedSecrets({ ...webhook, secrets: rotated }, plus(25 * 3600))).toHaveLength(2);
  });

  it('sign with each secret that signs now, space-separated', () => {
    const secrets = rotatedSecrets(webhook, NOW).map((s) => s.secret);
    const headers = signatureHeaders({ messageId: 'E1', payload: '{}', secrets, at: new Date(NOW) });
    expect(headers['webhook-id']).toBe('E1');
    expect(headers['webhook-timestamp']).toBe(String(Date.parse(NOW) / 1000));
    expect(headers['webhook-signature']!.split(' ').map((s) => s.slice(0, 3))).toEqual(['v1,', 'v1,']);
  });
});

describe("a webhook's health", () => {
  it('starts failing at the first failure, recovers on a success, is switched off after 24 hours of failures', () => {
    expect(healthAfter({ enabled: true, failingSince: null }, true, NOW)).toBe('unchanged');
    expect(healthAfter({ enabled: true, failingSince: null }, false, NOW)).toBe('failing');
    expect(healthAfter({ enabled: true }, false, NOW)).toBe('failing');
    expect(healthAfter({ enabled: true, failingSince: NOW }, false, plus(23 * 3600))).toBe('unchanged');
    expect(healthAfter({ enabled: true, failingSince: NOW }, false, plus(24 * 3600))).toBe('disable');
    expect(healthAfter({ enabled: false, failingSince: NOW }, false, plus(48 * 3600))).toBe('unchanged');
    expect(healthAfter({ enabled: true, failingSince: NOW }, true, plus(48 * 3600))).toBe('recovered');
  });

  it('is told to the active admins and the webhook creator', () => {
    const user = (userId: string, groups: string[], status = 'active') => ({ userId, email: `${userId}@example.com`, groups, status }) as unknown as DirectoryUser;
    const users = [user('ann', ['admin']), user('bob', ['rep']), user('cy', ['admin'], 'deactivated'), user('dee', ['manager'])];
    expect(recipientsOf(users, { createdBy: 'dee' }).map((u) => u.userId)).toEqual(['ann', 'dee']);
  });
});

describe('webhook replays', () => {
  const hook = '01JD0000000000000000000090';

  it("are named for their webhook and tenant; another tenant's replayed events are told apart without a read", () => {
    const name = replayNameFor('acme', hook, 'a1b2c3d4e5f6');
    expect(name.length).toBeLessThanOrEqual(64);
    expect(replayedFor(name, 'acme')).toBe(hook);
    expect(replayedFor(name, 'globex')).toBe('other-tenant');
    expect(replayedFor('operator-replay-after-bugfix', 'acme')).toBeUndefined();
    expect(replayedFor(undefined, 'acme')).toBeUndefined();
  });

  it('cover a past range, in order, of at most 31 days', () => {
    const at = (days: number) => plus(days * 86_400);
    expect(replayRangeErrors({ from: at(-1), to: NOW }, NOW)).toEqual([]);
    expect(replayRangeErrors({ from: NOW, to: at(-1) }, NOW).map((e) => e.path)).toEqual(['to']);
    expect(replayRangeErrors({ from: at(-1), to: at(1) }, NOW).map((e) => e.path)).toEqual(['to']);
    expect(replayRangeErrors({ from: at(-32), to: NOW }, NOW).map((e) => e.path)).toEqual(['from']);
  });
});

describe('one running replay per webhook', () => {
  const startedAt = NOW;

  it('runs while EventBridge says it starts, runs or cancels; ends when it completed, was cancelled or failed', () => {
    for (const state of ['STARTING', 'RUNNING', 'CANCELLING']) expect(replayStillRuns({ startedAt }, state, plus(86_400)), state).toBe(true);
    for (const state of ['COMPLETED', 'CANCELLED', 'FAILED']) expect(replayStillRuns({ startedAt }, state, plus(1)), state).toBe(false);
  });

  it('one EventBridge does not know is starting for the grace, then abandoned', () => {
    expect(replayStillRuns({ startedAt }, undefined, plus(REPLAY_START_GRACE_SECONDS - 1))).toBe(true);
    expect(replayStillRuns({ startedAt }, undefined, plus(REPLAY_START_GRACE_SECONDS))).toBe(false);
  });
});

describe('starting a replay', () => {
  const admin: Caller = { userId: 'ada', tenantId: 't1', groups: ['admin'] };
  const hookId = '01JD0000000000000000000091';
  const range = { from: plus(-3600), to: NOW };
  afterEach(() => installTimeSource(Date.now));

  /** The repository's replay claim with DynamoDB's conditions, in memory. */
  function setup(states: Map<string, string>, startFails = { now: false }) {
    let latest: WebhookReplay | undefined;
    const started: string[] = [];
    const webhooks = {
      get: async () => ({ id: hookId, tenantId: 't1', enabled: true }) as Webhook,
      claimReplay: async (_t: string, _w: string, replay: WebhookReplay, previous: string | undefined) => {
        if (previous === undefined ? latest !== undefined : latest?.replayName !== previous) return false;
        latest = replay;
        return true;
      },
      latestReplay: async () => latest,
      releaseReplay: async (_t: string, _w: string, name: string) => {
        if (latest?.replayName === name) latest = undefined;
      },
    } as unknown as WebhookRepository;
    const replays: ReplayGateway = {
      available: () => true,
      start: async ({ name }) => {
        if (startFails.now) throw new Error('ThrottlingException');
        started.push(name);
        states.set(name, 'STARTING');
        return { state: 'STARTING' };
      },
      state: async (name) => states.get(name),
    };
    return { deps: { webhooks, replays }, started, latest: () => latest };
  }

  it('refuses a second while the first runs, naming it; starts one once the first ended', async () => {
    installTimeSource(() => Date.parse(NOW));
    const states = new Map<string, string>();
    const { deps, started } = setup(states);
    const first = await replayWebhook(deps, admin, hookId, range);
    const refused = await replayWebhook(deps, admin, hookId, range).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReplayRunning);
    expect((refused as ReplayRunning).message).toContain(first.replayName);
    expect((refused as ReplayRunning).extensions).toEqual({ running: { replayName: first.replayName, from: range.from, to: range.to, startedAt: NOW } });
    expect(started).toEqual([first.replayName]);

    states.set(first.replayName, 'COMPLETED');
    const second = await replayWebhook(deps, admin, hookId, range);
    expect(started).toEqual([first.replayName, second.replayName]);
  });

  it('gives the claim back when StartReplay fails, so a retry starts at once', async () => {
    installTimeSource(() => Date.parse(NOW));
    const states = new Map<string, string>();
    const startFails = { now: true };
    const { deps, started, latest } = setup(states, startFails);
    await expect(replayWebhook(deps, admin, hookId, range)).rejects.toThrow('ThrottlingException');
    expect(latest()).toBeUndefined();
    startFails.now = false;
    const retried = await replayWebhook(deps, admin, hookId, range);
    expect(started).toEqual([retried.replayName]);
  });

  it('takes over the claim of a replay that never started once the grace is over', async () => {
    let now = Date.parse(NOW);
    installTimeSource(() => now);
    const states = new Map<string, string>();
    const { deps, started } = setup(states);
    const first = await replayWebhook(deps, admin, hookId, range);
    // As if its function had died before StartReplay: EventBridge never heard of it.
    states.delete(first.replayName);
    started.length = 0;
    await expect(replayWebhook(deps, admin, hookId, range)).rejects.toBeInstanceOf(ReplayRunning);
    now += REPLAY_START_GRACE_SECONDS * 1000;
    const next = await replayWebhook(deps, admin, hookId, range);
    expect(started).toEqual([next.replayName]);
  });
});
