import { describe, expect, it } from 'vitest';
import { scrub } from '../../../shared/privacy/customer-erasure';
import {
  frequencyDecision,
  frequencyExpiresAt,
  KEPT_SENDS,
  planRelease,
  planReservation,
  pruneSends,
  type SendRecord,
} from '../../../shared/consent/frequency-cap';

const NOW = '2026-11-23T12:00:00.000Z';
const cap = { maxEmails: 3, windowDays: 7 };
const daysBefore = (days: number, from = NOW) => new Date(Date.parse(from) - days * 86_400_000).toISOString();
const send = (sendId: string, at: string): SendRecord => ({ sendId, at });

describe('frequencyDecision', () => {
  it('allows while fewer than K sends fall in the rolling window', () => {
    expect(frequencyDecision([], NOW, cap)).toEqual({ allowed: true });
    expect(frequencyDecision([daysBefore(1), daysBefore(2)], NOW, cap)).toEqual({ allowed: true });
  });

  it('caps at K and names when the K-th newest send leaves the window', () => {
    const sent = [daysBefore(1), daysBefore(6), daysBefore(3)];
    expect(frequencyDecision(sent, NOW, cap)).toEqual({ allowed: false, nextAllowedAt: new Date(Date.parse(daysBefore(6)) + 7 * 86_400_000).toISOString() });
  });

  it('with more than K sends counted, waits for enough of them to leave', () => {
    const sent = [daysBefore(1), daysBefore(2), daysBefore(3), daysBefore(4)];
    // Four counted, K = 3: one more must leave, so the third newest (3 days ago) decides.
    expect(frequencyDecision(sent, NOW, cap)).toEqual({ allowed: false, nextAllowedAt: daysBefore(-4) });
  });

  it('stops counting a send exactly one window after it (the boundary is exclusive)', () => {
    const sent = [daysBefore(7), daysBefore(1), daysBefore(2)];
    expect(frequencyDecision(sent, NOW, cap)).toEqual({ allowed: true });
    const justInside = new Date(Date.parse(daysBefore(7)) + 1).toISOString();
    expect(frequencyDecision([justInside, daysBefore(1), daysBefore(2)], NOW, cap).allowed).toBe(false);
  });

  it('counts sends stamped after now (another writer whose clock is ahead)', () => {
    expect(frequencyDecision([daysBefore(-0.01), daysBefore(1), daysBefore(2)], NOW, cap).allowed).toBe(false);
  });

  it('is the same rule for any cap: K = 1 per day', () => {
    expect(frequencyDecision([daysBefore(0.5)], NOW, { maxEmails: 1, windowDays: 1 })).toEqual({ allowed: false, nextAllowedAt: daysBefore(-0.5) });
    expect(frequencyDecision([daysBefore(1.5)], NOW, { maxEmails: 1, windowDays: 1 })).toEqual({ allowed: true });
  });
});

describe('planReservation', () => {
  it('records a new send, newest first', () => {
    expect(planReservation([send('a', daysBefore(1))], 'b', NOW, cap)).toEqual({ kind: 'record', sends: [send('b', NOW), send('a', daysBefore(1))] });
  });

  it('reserves a send id already recorded without counting it again, even when capped', () => {
    const sends = [send('a', daysBefore(1)), send('b', daysBefore(2)), send('c', daysBefore(3))];
    expect(planReservation(sends, 'b', NOW, cap)).toEqual({ kind: 'already-reserved' });
    expect(planReservation(sends, 'd', NOW, cap)).toEqual({ kind: 'capped', nextAllowedAt: daysBefore(-4) });
  });

  it('prunes what no legal cap can count any more', () => {
    const plan = planReservation([send('old', daysBefore(91)), send('a', daysBefore(30))], 'b', NOW, cap);
    expect(plan).toEqual({ kind: 'record', sends: [send('b', NOW), send('a', daysBefore(30))] });
  });
});

describe('pruneSends', () => {
  it(`keeps at most ${KEPT_SENDS.maxCount} sends of the last ${KEPT_SENDS.maxWindowDays} days, the newest`, () => {
    const many = Array.from({ length: 150 }, (_, i) => send(`s${i}`, daysBefore(i * 0.5)));
    const kept = pruneSends(many, NOW);
    expect(kept).toHaveLength(KEPT_SENDS.maxCount);
    expect(kept[0]).toEqual(send('s0', NOW));
    expect(kept.at(-1)).toEqual(send('s99', daysBefore(49.5)));
  });

  it('keeps enough for the widest cap to decide exactly', () => {
    const sends = Array.from({ length: 100 }, (_, i) => send(`s${i}`, daysBefore(i * 0.8)));
    const widest = { maxEmails: 100, windowDays: 90 };
    expect(frequencyDecision(pruneSends(sends, NOW).map((s) => s.at), NOW, widest)).toEqual(frequencyDecision(sends.map((s) => s.at), NOW, widest));
  });
});

describe('planRelease', () => {
  it('drops the released send, or says there was none', () => {
    expect(planRelease([send('a', NOW), send('b', NOW)], 'a')).toEqual([send('b', NOW)]);
    expect(planRelease([send('b', NOW)], 'a')).toBeUndefined();
  });
});

describe('frequencyExpiresAt', () => {
  it('is when the newest send stops counting for the widest window', () => {
    expect(frequencyExpiresAt([send('a', daysBefore(2)), send('b', NOW)])).toBe(Date.parse(daysBefore(-90)) / 1000);
  });
});

describe('erasure', () => {
  it('deletes the marketing bookkeeping items', () => {
    const item = (SK: string) => ({ PK: 'T#acme#C#c-1', SK, entity: 'MarketingFrequency', sends: [send('s-1', NOW)], offerId: 'o-1', version: 1 });
    expect(scrub(item('$MKT#FREQ'))).toEqual({ action: 'delete' });
    expect(scrub(item('$MKT#OFFER'))).toEqual({ action: 'delete' });
  });
});
