import { afterEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../shared/clock';
import type { Customer } from '../../../shared/customers/customer';
import type { EngagementWrite } from '../../../shared/ses-events/campaign-engagement-repository';
import { signUnsubscribeToken, type UnsubscribeClaims } from '../../../shared/consent/unsubscribe-token';
import { savePreferences, unsubscribe, type UnsubscribeDeps, unsubscribeView } from '../../../shared/consent/unsubscribe-use-cases';
import type { Activity } from '../../../shared/activities/activity';
import { ValidationFailed } from '../../../shared/errors';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = '2026-11-24T09:00:00.000Z';
const CLAIMS: UnsubscribeClaims = { tenantId: 't-1', customerId: 'c-1', topic: 'marketing', issuedAt: '2026-11-23T12:00:00.000Z' };

afterEach(() => installTimeSource(Date.now));

/** A customer store of one, an opt-out log, and the engagement calls, in the order they happen. */
function world(customer: Partial<Customer> | undefined) {
  const log: string[] = [];
  const engagement: unknown[][] = [];
  const automation: unknown[][] = [];
  let stored = customer && ({ id: 'c-1', tenantId: 't-1', consent: { marketing: { granted: true, at: '2026-01-01T00:00:00.000Z', source: 'api' } }, version: 3, ...customer } as Customer);
  const deps: UnsubscribeDeps = {
    secret: async () => SECRET,
    customers: { get: async () => stored },
    contacts: { get: async () => undefined },
    leads: { load: async () => undefined, save: async () => undefined },
    consent: {
      recordCustomerOptOut: async (_before, after) => {
        log.push('opt-out');
        stored = after;
      },
      recordContactOptOut: async () => undefined,
    },
    engagement: {
      record: async (...args): Promise<EngagementWrite> => {
        log.push('engagement');
        engagement.push(args);
        return 'counted';
      },
    },
    automationStats: {
      recordEngagement: async (...args) => {
        log.push('automation');
        automation.push(args);
        return 'counted';
      },
    },
  };
  return { deps, log, engagement, automation };
}

describe('unsubscribe with a campaign claim', () => {
  it("counts the opt-out on the token's campaign and recipient after the opt-out is stored", async () => {
    installTimeSource(() => Date.parse(NOW));
    const { deps, log, engagement } = world({});
    const token = signUnsubscribeToken({ ...CLAIMS, campaignId: 'cmp-1' }, SECRET);
    expect(await unsubscribe(deps, token, 'req-1')).toEqual({ outcome: 'unsubscribed', topic: 'marketing' });
    expect(log).toEqual(['opt-out', 'engagement']);
    expect(engagement).toEqual([['t-1', 'cmp-1', 'c-1', 'unsubscribedAt', NOW]]);

    // A second click stores nothing new but asks again: the repository's stamp makes it count once.
    expect((await unsubscribe(deps, token, 'req-2')).outcome).toBe('already-unsubscribed');
    expect(log).toEqual(['opt-out', 'engagement', 'engagement']);
  });

  it('does not count without a campaign claim, nor for a customer who is gone', async () => {
    const plain = world({});
    await unsubscribe(plain.deps, signUnsubscribeToken(CLAIMS, SECRET), 'req-1');
    expect(plain.log).toEqual(['opt-out']);

    const gone = world(undefined);
    expect((await unsubscribe(gone.deps, signUnsubscribeToken({ ...CLAIMS, campaignId: 'cmp-1' }, SECRET), 'req-1')).outcome).toBe('gone');
    expect(gone.engagement).toEqual([]);
  });

  it('counts on the recipient the campaign mailed, not the survivor of a merge', async () => {
    const { deps, engagement } = world({});
    const survivor = { id: 'c-2', tenantId: 't-1', consent: {}, version: 1 } as unknown as Customer;
    deps.customers = { get: async (_t, id) => (id === 'c-1' ? ({ id: 'c-1', tenantId: 't-1', consent: {}, version: 2, mergedInto: 'c-2' } as unknown as Customer) : survivor) };
    await unsubscribe(deps, signUnsubscribeToken({ ...CLAIMS, campaignId: 'cmp-1' }, SECRET), 'req-1');
    expect(engagement).toEqual([['t-1', 'cmp-1', 'c-1', 'unsubscribedAt', expect.any(String)]]);
  });
});

describe('unsubscribe with an automation claim', () => {
  it("counts the opt-out on the automation's send after the opt-out is stored, and again on a repeat (the stamp makes it once)", async () => {
    installTimeSource(() => Date.parse(NOW));
    const { deps, log, automation } = world({});
    const token = signUnsubscribeToken({ ...CLAIMS, automationId: 'auto-1', eventId: 'evt-1' }, SECRET);
    expect(await unsubscribe(deps, token, 'req-1')).toEqual({ outcome: 'unsubscribed', topic: 'marketing' });
    await unsubscribe(deps, token, 'req-2');
    expect(log).toEqual(['opt-out', 'automation', 'automation']);
    expect(automation[0]).toEqual([{ tenantId: 't-1', recipient: { kind: 'customer', id: 'c-1' }, automationId: 'auto-1', eventId: 'evt-1' }, 'unsubscribedAt', NOW]);
  });

  it('does not count for a customer who is gone', async () => {
    const gone = world(undefined);
    await unsubscribe(gone.deps, signUnsubscribeToken({ ...CLAIMS, automationId: 'auto-1', eventId: 'evt-1' }, SECRET), 'req-1');
    expect(gone.automation).toEqual([]);
  });
});

describe('the link page and the preference centre', () => {
  const consent = {
    marketing: { granted: true, at: '2026-01-01T00:00:00.000Z', source: 'api' },
    newsletter: { granted: false, at: '2026-01-01T00:00:00.000Z', source: 'unsubscribe-link' },
  };

  it("shows the link's topic and the recipient's preferences, and a recipient who is gone as gone", async () => {
    const { deps } = world({ consent });
    expect(await unsubscribeView(deps, signUnsubscribeToken(CLAIMS, SECRET))).toEqual({
      gone: false,
      topic: 'marketing',
      subscribed: true,
      preferences: [
        { topic: 'marketing', subscribed: true, canSubscribe: true },
        { topic: 'newsletter', subscribed: false, canSubscribe: true },
      ],
    });
    expect(await unsubscribeView(world(undefined).deps, signUnsubscribeToken(CLAIMS, SECRET))).toEqual({ gone: true, topic: 'marketing' });
  });

  it('stores the changes with one consent entry, and counts an opt-out of the link topic on the mail', async () => {
    installTimeSource(() => Date.parse(NOW));
    const { deps, log, automation } = world({ consent });
    const stored: Activity[] = [];
    deps.consent.recordCustomerOptOut = async (_before, _after, activity) => {
      log.push('consent');
      stored.push(activity);
    };
    const token = signUnsubscribeToken({ ...CLAIMS, automationId: 'auto-1', eventId: 'evt-1' }, SECRET);
    const { view, saved } = await savePreferences(deps, token, { marketing: 'out', newsletter: 'in' }, 'req-1');
    expect(saved).toEqual([
      { topic: 'marketing', granted: false },
      { topic: 'newsletter', granted: true },
    ]);
    expect(view).toMatchObject({ subscribed: false });
    expect(log).toEqual(['consent', 'automation']);
    expect(automation).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'consent', payload: { changes: { marketing: false, newsletter: true }, source: 'unsubscribe-link', linkTopic: 'marketing' } });
  });

  it('refuses a subscribe the link may not give with a 400 naming the topic, storing nothing', async () => {
    const { deps, log } = world({ consent: { marketing: { granted: false, at: NOW, source: 'api' } } });
    const error = await savePreferences(deps, signUnsubscribeToken(CLAIMS, SECRET), { marketing: 'in' }, 'req-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).errors).toEqual([{ path: 'marketing', message: expect.any(String) }]);
    expect(log).toEqual([]);
  });

  it('stores nothing and counts nothing when nothing changed', async () => {
    const { deps, log } = world({ consent });
    const { saved } = await savePreferences(deps, signUnsubscribeToken(CLAIMS, SECRET), { marketing: 'in' }, 'req-1');
    expect(saved).toEqual([]);
    expect(log).toEqual([]);
  });
});
