import { describe, expect, it, vi } from 'vitest';
import fixture from '../../../events/fixtures/crm.customer.created.v1.json';
import type { SimpleMail, TemplatedMail } from '../../../shared/aws/ses-mail';
import { defaultMarketingSettings, type MarketingSettings } from '../../../shared/consent/marketing-settings';
import type { MarketingSendDeps } from '../../../shared/consent/marketing-send-use-case';
import { verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import { sendWelcomeEmail } from '../../../shared/customers/welcome-email-use-case';
import { sesTemplateName } from '../../../shared/templates/ses-template-name';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = '2027-01-01T10:00:00.000Z';
const TENANT = 'acme';
const ID = '01JD0000000000000000000002';
const PARTITION = `T#${TENANT}#C#${ID}`;
const busEvent = (detail: unknown = fixture) => ({ id: 'e', 'detail-type': 'crm.customer.created.v1', source: 'crm', time: '2026-11-22T10:00:00Z', detail });
const ada = (over: Partial<Parameters<typeof newCustomer>[0]> = {}) =>
  newCustomer({ name: 'Ada <Lovelace>', emails: ['ada@example.com'], consent: { marketing: true }, ...over }, { userId: 'u', tenantId: TENANT, groups: ['rep'] }, ID, NOW);
const ownTemplate = { id: 'TPL1', subject: 'Bienvenue, {{customer.name}}', html: '<p>Bonjour {{customer.name}}</p>', text: 'Bonjour {{customer.name}}', placeholders: ['customer.name'] };

function fakes(over: { claimable?: boolean; customer?: Customer; welcome?: Partial<MarketingSettings['welcomeEmail']>; suppressed?: boolean; capped?: boolean; sesFails?: boolean } = {}) {
  const simple: SimpleMail[] = [];
  const templated: TemplatedMail[] = [];
  const once = { claim: vi.fn(async () => over.claimable ?? true), complete: vi.fn(async () => undefined), release: vi.fn(async () => undefined) };
  const frequency = {
    reserveMarketingSend: vi.fn(async () => (over.capped ? { reserved: false as const, reason: 'capped' as const, nextAllowedAt: '2027-01-05T00:00:00.000Z' } : { reserved: true as const })),
    releaseMarketingSend: vi.fn(async () => true),
  };
  const send: MarketingSendDeps = {
    customers: { get: async () => over.customer ?? ada() },
    leads: { get: async () => undefined },
    stillLive: async () => true,
    contacts: { get: async () => undefined, list: async () => [] },
    templates: { get: async (_t, id) => (id === 'TPL1' ? ownTemplate : undefined) },
    suppressions: { suppressedAmong: async (_t, addresses) => new Set(over.suppressed ? addresses : []) },
    settings: { get: async (tenantId) => ({ ...defaultMarketingSettings(tenantId), welcomeEmail: { ...defaultMarketingSettings(tenantId).welcomeEmail, ...over.welcome } }) },
    frequency,
    leadFrequency: frequency,
    contactFrequency: frequency,
    offers: { acquireOfferLock: async () => ({ acquired: true as const, until: NOW }), releaseOfferLock: async () => true },
    rate: { acquire: async () => true },
    mailer: {
      sendSimple: async (m) => {
        if (over.sesFails) throw new Error('SES throttled');
        simple.push(m);
        return { messageId: 'm-1' };
      },
      sendTemplated: async (m) => {
        templated.push(m);
        return { messageId: 'm-2' };
      },
    },
    unsubscribeSecret: async () => SECRET,
    apiBaseUrl: 'https://api.example.com/',
    stage: 'dev',
  };
  return { once, frequency, simple, templated, deps: { send, once } };
}

describe('sendWelcomeEmail', () => {
  it('sends the built-in default as a marketing mail: escaped html, unsubscribe footer and one-click headers, welcome tags, and records it', async () => {
    const { deps, simple, once, frequency } = fakes();

    const result = await sendWelcomeEmail(deps, busEvent());

    expect(result).toEqual({ status: 'sent', messageId: 'm-1' });
    const mail = simple[0]!;
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Welcome, Ada <Lovelace>', tags: { tenantId: TENANT, customerId: ID, topic: 'marketing', kind: 'welcome-email' } });
    expect(mail.html).toContain('Hello Ada &#60;Lovelace&#62;');
    expect(mail.html).not.toContain('<Lovelace>');
    const unsubscribe = mail.headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
    expect(mail.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const url = /<([^>]+)>/.exec(unsubscribe)![1]!;
    expect(mail.text).toContain(url);
    expect(verifyUnsubscribeToken(url.split('/').pop()!, SECRET)).toMatchObject({ tenantId: TENANT, customerId: ID, topic: 'marketing' });
    expect(frequency.reserveMarketingSend).toHaveBeenCalledWith(TENANT, ID, 'welcome-email', expect.any(String), { maxEmails: 3, windowDays: 7 });
    const [partition, effect, outcome, records] = once.complete.mock.calls[0] as unknown as [string, string, unknown, Record<string, unknown>[]];
    expect([partition, effect, outcome]).toEqual([PARTITION, 'welcome-email', { outcome: 'sent', messageId: 'm-1' }]);
    expect(records[0]).toMatchObject({ entity: 'Activity', type: 'email', subject: 'Welcome, Ada <Lovelace>', actor: { type: 'system', id: 'welcome-flow' } });
  });

  it("sends the tenant's own template as its stored SES template, under the tenant's topic", async () => {
    const { deps, simple, templated } = fakes({ welcome: { templateId: 'TPL1', topic: 'welcome' }, customer: ada({ consent: { welcome: true } }) });

    expect(await sendWelcomeEmail(deps, busEvent())).toEqual({ status: 'sent', messageId: 'm-2' });
    expect(simple).toEqual([]);
    expect(templated[0]).toMatchObject({ templateName: sesTemplateName('dev', TENANT, 'TPL1'), tags: { topic: 'welcome', kind: 'welcome-email' } });
    expect(templated[0]!.headers.map((h) => h.name)).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post']);
  });

  it.each([
    ['switched-off', { welcome: { enabled: false } }],
    ['no-consent', { welcome: { topic: 'welcome' } }],
    ['no-consent', { customer: ada({ consent: { marketing: false } }) }],
    ['no-address', { customer: ada({ emails: [] }) }],
    ['suppressed', { suppressed: true }],
    ['template-gone', { welcome: { templateId: 'deleted' } }],
  ] as const)('mails nothing and records why: %s', async (status, over) => {
    const { deps, simple, templated, once } = fakes(over);

    expect(await sendWelcomeEmail(deps, busEvent())).toEqual({ status });
    expect([...simple, ...templated]).toEqual([]);
    expect(once.complete).toHaveBeenCalledWith(PARTITION, 'welcome-email', { outcome: status }, []);
  });

  it('mails nothing over the frequency cap and records when the next mail would be allowed', async () => {
    const { deps, simple, once } = fakes({ capped: true });

    expect(await sendWelcomeEmail(deps, busEvent())).toEqual({ status: 'capped', nextAllowedAt: '2027-01-05T00:00:00.000Z' });
    expect(simple).toEqual([]);
    expect(once.complete).toHaveBeenCalledWith(PARTITION, 'welcome-email', { outcome: 'capped', nextAllowedAt: '2027-01-05T00:00:00.000Z' }, []);
  });

  it('reads and records nothing for a customer created without any consent granted: no settings could welcome them', async () => {
    const { deps, simple, once } = fakes();
    const detail = { ...(fixture as { data: Record<string, unknown> }), data: { ...(fixture as { data: Record<string, unknown> }).data, consent: { marketing: false } } };

    expect(await sendWelcomeEmail(deps, busEvent(detail))).toEqual({ status: 'no-consent' });
    expect(once.claim).not.toHaveBeenCalled();
    expect(simple).toEqual([]);
  });

  it('does not mail twice when the event is delivered again', async () => {
    const { deps, simple } = fakes({ claimable: false });

    expect(await sendWelcomeEmail(deps, busEvent())).toEqual({ status: 'already-sent' });
    expect(simple).toEqual([]);
  });

  it("releases its claim and its frequency slot when sending fails, so the flow's retry can send", async () => {
    const { deps, once, frequency } = fakes({ sesFails: true });

    await expect(sendWelcomeEmail(deps, busEvent())).rejects.toThrow('SES throttled');
    expect(once.release).toHaveBeenCalledWith(PARTITION, 'welcome-email');
    expect(frequency.releaseMarketingSend).toHaveBeenCalledWith(TENANT, ID, 'welcome-email');
    expect(once.complete).not.toHaveBeenCalled();
  });
});
