import { describe, expect, it, vi } from 'vitest';
import { newCustomer } from '../../../shared/customers/customer';
import { dispatchAutomations } from '../../../shared/automations/automation-dispatch-use-case';
import { matchingAutomations } from '../../../shared/automations/automation-matching';
import { marketingRecipientOf } from '../../../shared/consent/marketing-recipient';
import { newLead } from '../../../shared/leads/lead';
import { newContact } from '../../../shared/contacts/contact';
import type { AutomationTrigger } from '../../../shared/automations/automation-trigger-repository';
import { type AutomationSendRecord, dueIdOf, type SendClaim } from '../../../shared/automations/automation-send-repository';
import type { AutomationFlowDeps } from '../../../shared/automations/automation-send-flow-use-cases';
import type { EmailTemplate } from '../../../shared/templates/email-template';
import { defaultMarketingSettings } from '../../../shared/consent/marketing-settings';

// The use cases log every skip and failure; the assertions here are on what they return.
vi.stubEnv('CRM_LOG_LEVEL', 'silent');

const NOW = '2027-01-01T10:00:00.000Z';
const caller = { userId: 'm-1', tenantId: 't1', groups: ['marketer' as const] };

const busEvent = (detailType: string, data: Record<string, unknown>, id = 'E1') => ({
  version: '0',
  id: `bus-${id}`,
  'detail-type': detailType,
  source: 'crm',
  account: '000000000000',
  time: NOW,
  region: 'local-1',
  resources: [],
  detail: { id, type: detailType, occurredAt: NOW, tenantId: 't1', actor: { type: 'user', id: 'rep-1' }, correlationId: 'req-1', data },
});
const stageChanged = (to: string, id = 'E1') => busEvent('crm.customer.stage-changed.v1', { customerId: 'C1', from: 'lead', to, ownerId: null }, id);

const trigger = (id: string, eventPattern: Record<string, unknown>, delay = 0): AutomationTrigger => ({ id, eventPattern, templateId: 'TPL1', topic: 'marketing', delay, offer: null, audience: 'subject', version: 1 });

describe('matchingAutomations', () => {
  it('matches each pattern against the whole bus event with the EventBridge matcher', () => {
    const automations = [
      trigger('exact', { 'detail-type': ['crm.customer.stage-changed.v1'], detail: { data: { to: ['customer'] } } }),
      trigger('other-stage', { detail: { data: { to: ['churned'] } } }),
      trigger('source-prefix', { source: [{ prefix: 'cr' }], account: [{ exists: true }] }),
      trigger('anything-but', { detail: { data: { to: [{ 'anything-but': ['lead', 'mql'] }] } } }),
      trigger('missing-field', { detail: { data: { amount: [{ numeric: ['>', 0] }] } } }),
    ];
    expect(matchingAutomations(automations, stageChanged('customer')).map((a) => a.id)).toEqual(['exact', 'source-prefix', 'anything-but']);
  });

  it('lets a stored pattern the matcher refuses match nothing, without stopping the others', () => {
    const broken = { ...trigger('broken', { detail: { data: { to: [{ prefx: 'c' }] } } }), version: 7 };
    expect(matchingAutomations([broken, trigger('ok', { source: ['crm'] })], stageChanged('customer')).map((a) => a.id)).toEqual(['ok']);
  });

  it('recompiles a pattern when the automation changes version', () => {
    const v1 = { ...trigger('A', { detail: { data: { to: ['customer'] } } }), version: 1 };
    const v2 = { ...v1, eventPattern: { detail: { data: { to: ['churned'] } } }, version: 2 };
    expect(matchingAutomations([v1], stageChanged('customer'))).toHaveLength(1);
    expect(matchingAutomations([v2], stageChanged('customer'))).toHaveLength(0);
  });

  it('reads the recipient from detail.data: the customer first, else the lead, only when it is an id', () => {
    expect(marketingRecipientOf({ customerId: 'C1' })).toEqual({ kind: 'customer', id: 'C1' });
    expect(marketingRecipientOf({ leadId: 'L1' })).toEqual({ kind: 'lead', id: 'L1' });
    // A converted lead, or a capture that matched a customer: the customer is mailed.
    expect(marketingRecipientOf({ leadId: 'L1', customerId: 'C1' })).toEqual({ kind: 'customer', id: 'C1' });
    expect(marketingRecipientOf({ leadId: 'L1', customerId: null })).toEqual({ kind: 'lead', id: 'L1' });
    expect(marketingRecipientOf({ customerId: 'a#b' })).toBeUndefined();
    expect(marketingRecipientOf(undefined)).toBeUndefined();
  });
});

/** Flow deps over an in-memory record store: the conditional Put is a Map lookup. */
function flowDeps(automations: AutomationTrigger[], options: { sesFails?: boolean } = {}) {
  const contacts = [
    newContact({ name: 'Bo', emails: ['bo@acme.example'], consent: { marketing: true } }, caller, 'C1', 'K1', NOW),
    newContact({ name: 'Cy', emails: ['cy@acme.example'], consent: { marketing: false } }, caller, 'C1', 'K2', NOW),
  ];
  const records = new Map<string, { send: AutomationSendRecord; dueAt?: string; outcome?: string }>();
  const key = (s: AutomationSendRecord) => dueIdOf(s);
  const claim = (send: AutomationSendRecord, dueAt?: string): SendClaim => {
    if (records.has(key(send))) return { claimed: false, reason: 'duplicate' };
    records.set(key(send), { send, dueAt });
    return { claimed: true, leasedSortKey: `lease-${key(send)}` };
  };
  const mails: string[] = [];
  const deps: AutomationFlowDeps = {
    send: {
      customers: { get: async () => newCustomer({ name: 'Ada', emails: ['ada@example.com'], consent: { marketing: true } }, caller, 'C1', NOW) },
      leads: {
        get: async () =>
          newLead(
            { email: 'lin@example.com', consent: { marketing: true }, consentText: 'Send me news' },
            { id: 'L1', tenantId: 't1', channel: 'api', formId: null, actorId: 'rep-1', nowIso: NOW, defaultSource: null },
          ),
      },
      stillLive: async () => true,
      contacts: {
        get: async (_t, _c, contactId) => contacts.find((c) => c.id === contactId),
        list: vi.fn(async (_t: string, _c: string, limit: number) => contacts.slice(0, limit)),
      },
      templates: { get: async () => ({ id: 'TPL1', subject: 'Hi', html: 'Hi', text: 'Hi', placeholders: [] }) as unknown as EmailTemplate },
      suppressions: { suppressedAmong: async () => new Set<string>() },
      settings: { get: async (t: string) => defaultMarketingSettings(t) },
      frequency: { reserveMarketingSend: async () => ({ reserved: true }), releaseMarketingSend: async () => true },
      leadFrequency: { reserveMarketingSend: async () => ({ reserved: true }), releaseMarketingSend: async () => true },
      contactFrequency: { reserveMarketingSend: async () => ({ reserved: true }), releaseMarketingSend: async () => true },
      offers: { acquireOfferLock: async () => ({ acquired: true as const, until: NOW }), releaseOfferLock: async () => true },
      rate: { acquire: async () => true },
      mailer: {
        sendSimple: async () => {
          throw new Error('an automation sends stored templates only');
        },
        sendTemplated: async (m) => {
          if (options.sesFails) throw new Error('SES down');
          mails.push(m.to);
          return { messageId: `M${mails.length}` };
        },
      },
      unsubscribeSecret: async () => 'a-test-secret-of-at-least-thirty-two-characters',
      apiBaseUrl: 'https://api.example.com',
      stage: 'dev',
    },
    sends: {
      schedule: vi.fn(async (send: AutomationSendRecord, dueAt: string) => claim(send, dueAt)),
      claimNow: vi.fn(async (send: AutomationSendRecord) => claim(send)),
      finish: vi.fn(async (send, _leased, result) => {
        records.get(key(send))!.outcome = result.outcome;
        return true;
      }),
    },
    automations: { get: async () => undefined, listEnabled: vi.fn(async () => automations) },
    nowIso: () => NOW,
  };
  return { deps, records, mails };
}

describe('dispatchAutomations', () => {
  const onCustomer = trigger('on-customer', { 'detail-type': ['crm.customer.stage-changed.v1'], detail: { data: { to: ['customer'] } } });
  const later = trigger('later', { 'detail-type': ['crm.customer.stage-changed.v1'] }, 3600);
  const onChurn = trigger('on-churn', { detail: { data: { to: ['churned'] } } });

  it('sends the matching automations now, schedules the delayed ones at occurredAt + delay, ignores the rest', async () => {
    const { deps, records, mails } = flowDeps([onCustomer, later, onChurn]);
    const result = await dispatchAutomations(deps, stageChanged('customer'));

    expect(result).toEqual({
      eventId: 'E1',
      recipient: { kind: 'customer', id: 'C1' },
      sends: [
        { automationId: 'on-customer', outcome: 'sent', messageId: 'M1' },
        { automationId: 'later', outcome: 'scheduled', dueAt: '2027-01-01T11:00:00.000Z' },
      ],
    });
    expect(mails).toEqual(['ada@example.com']);
    expect(records.get('later#E1')).toMatchObject({ dueAt: '2027-01-01T11:00:00.000Z' });
    expect(records.get('later#E1')?.outcome).toBeUndefined();
    expect(records.get('on-customer#E1')?.outcome).toBe('sent');
    expect(deps.automations.listEnabled).toHaveBeenCalledWith('t1');
  });

  it('sends nothing again for a redelivered event (same event id)', async () => {
    const { deps, mails } = flowDeps([onCustomer, later]);
    await dispatchAutomations(deps, stageChanged('customer'));
    const again = await dispatchAutomations(deps, { ...stageChanged('customer'), id: 'another-bus-id' });
    expect(again.sends).toEqual([
      { automationId: 'on-customer', outcome: 'duplicate' },
      { automationId: 'later', outcome: 'duplicate', dueAt: '2027-01-01T11:00:00.000Z' },
    ]);
    expect(mails).toHaveLength(1);
  });

  it('does not fail the event when SES fails: the send stays claimed for the due sweep', async () => {
    const { deps, records } = flowDeps([onCustomer], { sesFails: true });
    expect((await dispatchAutomations(deps, stageChanged('customer'))).sends).toEqual([{ automationId: 'on-customer', outcome: 'failed' }]);
    expect(records.get('on-customer#E1')?.outcome).toBeUndefined();
    expect(deps.sends.finish).not.toHaveBeenCalled();
  });

  it("mails the lead a lead event is about, recording the send under the lead", async () => {
    const nurture = trigger('nurture', { 'detail-type': ['crm.lead.nurtured.v1'] });
    const { deps, records, mails } = flowDeps([nurture, onCustomer]);
    const result = await dispatchAutomations(deps, busEvent('crm.lead.nurtured.v1', { leadId: 'L1', ownerId: null, reason: 'later' }));
    expect(result).toEqual({ eventId: 'E1', recipient: { kind: 'lead', id: 'L1' }, sends: [{ automationId: 'nurture', outcome: 'sent', messageId: 'M1' }] });
    expect(mails).toEqual(['lin@example.com']);
    expect(records.get('nurture#E1')).toMatchObject({ send: { recipient: { kind: 'lead', id: 'L1' } }, outcome: 'sent' });
  });

  it("mails each contact of the company an automation with audience contacts is about, each send recorded under its contact", async () => {
    const toContacts = { ...trigger('contacts', { 'detail-type': ['crm.customer.stage-changed.v1'] }), audience: 'contacts' as const };
    const { deps, records, mails } = flowDeps([toContacts]);
    const result = await dispatchAutomations(deps, stageChanged('customer'));
    expect(result.sends).toEqual([
      { automationId: 'contacts', contactId: 'K1', outcome: 'sent', messageId: 'M1' },
      { automationId: 'contacts', contactId: 'K2', outcome: 'no-consent' },
    ]);
    expect(mails).toEqual(['bo@acme.example']);
    expect([...records.values()].map((r) => r.send.recipient)).toEqual([
      { kind: 'contact', id: 'K1', customerId: 'C1' },
      { kind: 'contact', id: 'K2', customerId: 'C1' },
    ]);
    expect(deps.send.contacts.list).toHaveBeenCalledWith('t1', 'C1', 50);

    // A lead has no contacts: nothing to send.
    const onLead = await dispatchAutomations(deps, busEvent('crm.lead.nurtured.v1', { leadId: 'L1', from: 'new', ownerId: null }, 'E2'));
    expect(onLead.sends).toEqual([]);
  });

  it('reads no automations for an event without a customer or lead, and ignores what is not a CRM envelope', async () => {
    const { deps } = flowDeps([onCustomer]);
    expect(await dispatchAutomations(deps, busEvent('crm.pool.created.v1', { poolId: 'P1' }))).toEqual({ eventId: 'E1', ignored: 'no-recipient', sends: [] });
    expect(await dispatchAutomations(deps, { ...stageChanged('customer'), detail: { hello: 'world' } })).toEqual({ ignored: 'not-an-envelope', sends: [] });
    expect(await dispatchAutomations(deps, 'garbage')).toEqual({ ignored: 'not-an-envelope', sends: [] });
    expect(deps.automations.listEnabled).not.toHaveBeenCalled();
  });
});
