import { describe, expect, it } from 'vitest';
import { FrequencyCapRepository } from '../../../shared/consent/frequency-cap-repository';
import { OfferLockRepository } from '../../../shared/consent/offer-lock-repository';
import { call, newTenant, rawTable, stack, tokenFor } from '../client';

interface Settings {
  frequencyCap: { maxEmails: number; windowDays: number };
  offerLockDays: number;
  isDefault: boolean;
  version: number;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}

const frequency = () => new FrequencyCapRepository(rawTable(), stack().tableName);
const locks = () => new OfferLockRepository(rawTable(), stack().tableName);
const NOW = '2026-11-23T12:00:00.000Z';
const daysAfter = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();
const customerId = () => `c-${Math.random().toString(36).slice(2, 10)}`;

describe('marketing settings API', () => {
  it('answers the defaults until saved, then versions every change with If-Match', async () => {
    const tenant = newTenant();
    const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
    const put = (ifMatch: string | undefined, body: unknown) =>
      call<Settings & Problem>('PUT', '/marketing-settings', { token: marketer, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

    const initial = await call<Settings>('GET', '/marketing-settings', { token: marketer });
    expect(initial.status).toBe(200);
    expect(initial.headers.get('etag')).toBe('"0"');
    expect(initial.body).toMatchObject({ frequencyCap: { maxEmails: 3, windowDays: 7 }, offerLockDays: 14, isDefault: true, version: 0 });

    expect((await put(undefined, { frequencyCap: { maxEmails: 5, windowDays: 14 } })).status).toBe(428);
    const first = await put('"0"', { frequencyCap: { maxEmails: 5, windowDays: 14 }, offerLockDays: 21 });
    expect([first.status, first.headers.get('etag')]).toEqual([200, '"1"']);
    expect(first.body).toMatchObject({ frequencyCap: { maxEmails: 5, windowDays: 14 }, offerLockDays: 21, isDefault: false, version: 1 });

    const stale = await put('"0"', { frequencyCap: { maxEmails: 1, windowDays: 1 } });
    expect([stale.status, stale.body.currentVersion]).toEqual([412, 1]);
    const second = await put('"1"', { frequencyCap: { maxEmails: 2, windowDays: 3 } });
    expect(second.body).toMatchObject({ frequencyCap: { maxEmails: 2, windowDays: 3 }, offerLockDays: 14, version: 2 });

    const read = await call<Settings>('GET', '/marketing-settings', { token: await tokenFor(tenant, 'rep-1', ['rep']) });
    expect([read.body.version, read.body.frequencyCap.maxEmails, read.headers.get('etag')]).toEqual([2, 2, '"2"']);
  });

  it('answers 400 naming the field, and 403 to a rep', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const bad = await call<Problem>('PUT', '/marketing-settings', { token: admin, body: { frequencyCap: { maxEmails: 101, windowDays: 7 } }, headers: { 'if-match': '"0"' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['frequencyCap.maxEmails']);
    const unknown = await call<Problem>('PUT', '/marketing-settings', { token: admin, body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, quietHours: true }, headers: { 'if-match': '"0"' } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('quietHours');
    const forbidden = await call('PUT', '/marketing-settings', { token: rep, body: { frequencyCap: { maxEmails: 3, windowDays: 7 } }, headers: { 'if-match': '"0"' } });
    expect(forbidden.status).toBe(403);
    expect((await call<Settings>('GET', '/marketing-settings', { token: admin })).body.version).toBe(0);
  });
});

describe('frequency cap on the local DynamoDB', () => {
  const cap = { maxEmails: 3, windowDays: 7 };

  it('of 20 concurrent reservations for one customer with K = 3, exactly 3 are reserved', async () => {
    const tenant = newTenant();
    const customer = customerId();
    const repo = frequency();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repo.reserveMarketingSend(tenant, customer, `send-${i}`, NOW, cap)));
    expect(results.filter((r) => r.reserved)).toHaveLength(3);
    const refused = results.filter((r) => !r.reserved);
    expect(refused).toHaveLength(17);
    expect(new Set(refused.map((r) => (r.reserved ? '' : `${r.reason} ${r.nextAllowedAt}`)))).toEqual(new Set([`capped ${daysAfter(7)}`]));
    expect(await repo.sends(tenant, customer)).toHaveLength(3);
  });

  it('counts a retried send id once, even when retried concurrently', async () => {
    const tenant = newTenant();
    const customer = customerId();
    const repo = frequency();
    const retried = await Promise.all(Array.from({ length: 5 }, () => repo.reserveMarketingSend(tenant, customer, 'batch-1#c', NOW, cap)));
    expect(retried.every((r) => r.reserved)).toBe(true);
    expect(await repo.reserveMarketingSend(tenant, customer, 'batch-2#c', daysAfter(1), cap)).toEqual({ reserved: true });
    expect(await repo.reserveMarketingSend(tenant, customer, 'batch-1#c', daysAfter(2), cap)).toEqual({ reserved: true });
    expect(await repo.reserveMarketingSend(tenant, customer, 'batch-3#c', daysAfter(2), cap)).toEqual({ reserved: true });
    expect((await repo.sends(tenant, customer)).map((s) => s.sendId).sort()).toEqual(['batch-1#c', 'batch-2#c', 'batch-3#c']);
  });

  it('frees the cap once the window has passed, and a released send gives its slot back', async () => {
    const tenant = newTenant();
    const customer = customerId();
    const repo = frequency();
    for (const [i, day] of [0, 1, 2].entries()) expect((await repo.reserveMarketingSend(tenant, customer, `s-${i}`, daysAfter(day), cap)).reserved).toBe(true);
    expect(await repo.reserveMarketingSend(tenant, customer, 's-3', daysAfter(6), cap)).toEqual({ reserved: false, reason: 'capped', nextAllowedAt: daysAfter(7) });
    // Time travel: seven days after the first send, it no longer counts.
    expect(await repo.reserveMarketingSend(tenant, customer, 's-3', daysAfter(7), cap)).toEqual({ reserved: true });
    expect((await repo.reserveMarketingSend(tenant, customer, 's-4', daysAfter(7), cap)).reserved).toBe(false);
    expect(await repo.releaseMarketingSend(tenant, customer, 's-3')).toBe(true);
    expect(await repo.releaseMarketingSend(tenant, customer, 's-3')).toBe(false);
    expect(await repo.reserveMarketingSend(tenant, customer, 's-4', daysAfter(7), cap)).toEqual({ reserved: true });
  });
});

describe('offer lock on the local DynamoDB', () => {
  it('of two offers racing for one customer exactly one wins; the winner re-acquires; expiry frees it', async () => {
    const tenant = newTenant();
    const customer = customerId();
    const repo = locks();
    const [a, b] = await Promise.all([
      repo.acquireOfferLock(tenant, customer, 'offer-a', daysAfter(14), NOW),
      repo.acquireOfferLock(tenant, customer, 'offer-b', daysAfter(14), NOW),
    ]);
    expect([a, b].filter((r) => r.acquired)).toHaveLength(1);
    const winner = a.acquired ? 'offer-a' : 'offer-b';
    const loser = a.acquired ? 'offer-b' : 'offer-a';
    expect(a.acquired ? b : a).toEqual({ acquired: false, heldBy: winner, until: daysAfter(14) });

    expect(await repo.acquireOfferLock(tenant, customer, winner, daysAfter(14), daysAfter(1))).toEqual({ acquired: true, until: daysAfter(14) });
    expect((await repo.acquireOfferLock(tenant, customer, loser, daysAfter(20), daysAfter(13))).acquired).toBe(false);
    expect(await repo.releaseOfferLock(tenant, customer, loser)).toBe(false);
    // At its end the lock no longer holds: the other offer takes the customer.
    expect(await repo.acquireOfferLock(tenant, customer, loser, daysAfter(28), daysAfter(14))).toEqual({ acquired: true, until: daysAfter(28) });
    expect(await repo.currentOfferLock(tenant, customer)).toEqual({ offerId: loser, until: daysAfter(28) });
    expect(await repo.releaseOfferLock(tenant, customer, loser)).toBe(true);
    expect(await repo.currentOfferLock(tenant, customer)).toBeUndefined();
  });

  it('many concurrent offers: exactly one wins', async () => {
    const tenant = newTenant();
    const customer = customerId();
    const repo = locks();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.acquireOfferLock(tenant, customer, `offer-${i}`, daysAfter(7), NOW)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });
});
