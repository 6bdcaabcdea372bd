import { describe, expect, it, vi } from 'vitest';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import { type AutomationSendDeps, sendAutomationEmail } from '../../../shared/automations/automation-send-use-case';
import { type EmailTemplate, sesTemplateName } from '../../../shared/templates/email-template';
import { defaultMarketingSettings } from '../../../shared/consent/marketing-settings';
import type { TemplatedMail } from '../../../shared/aws/ses-mail';
import { verifyUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { type Lead, newLead } from '../../../shared/leads/lead';
import { type Contact, newContact } from '../../../shared/contacts/contact';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const NOW = '2027-01-01T10:00:00.000Z';
const caller = { userId: 'm-1', tenantId: 't1', groups: ['marketer' as const] };
const ada = newCustomer({ name: 'Ada <Lovelace>', emails: ['ada@example.com', 'other@example.com'], consent: { marketing: true } }, caller, 'C1', NOW);
const template: EmailTemplate = {
  id: 'TPL1', tenantId: 't1', name: 'Welcome', description: null,
  subject: 'Welcome, {{customer.name}}', html: '<p>Hi {{customer.name}}</p>', text: 'Hi {{customer.name}}', placeholders: ['customer.name'],
  sesTemplateName: 'ignored', createdAt: NOW, createdBy: 'm-1', updatedAt: NOW, updatedBy: 'm-1', version: 1,
};
const request = { tenantId: 't1', recipient: { kind: 'customer' as const, id: 'C1' }, automationId: 'A1', eventId: 'E1', templateId: 'TPL1', topic: 'marketing', nowIso: NOW };

const lin = newLead(
  { name: 'Lin', email: 'lin@example.com', consent: { marketing: true }, consentText: 'Send me news' },
  { id: 'L1', tenantId: 't1', channel: 'form', formId: 'F1', actorId: 'form:F1', nowIso: NOW, defaultSource: 'web' },
);
const toLead = { ...request, recipient: { kind: 'lead' as const, id: 'L1' } };

const bo = newContact({ name: 'Bo', title: 'Buyer', emails: ['bo@ada.example'], consent: { marketing: true } }, caller, 'C1', 'K1', NOW);
const toContact = { ...request, recipient: { kind: 'contact' as const, id: 'K1', customerId: 'C1' } };

function deps(over: { goneBeforeSes?: boolean; customer?: Customer | undefined; lead?: Lead | undefined; contact?: Contact | undefined; template?: EmailTemplate | undefined; suppressed?: boolean; capped?: boolean; sesFails?: boolean; offerHeldBy?: string } = {}) {
  const sent: TemplatedMail[] = [];
  const d = {
    customers: { get: vi.fn(async () => ('customer' in over ? over.customer : ada)) },
    leads: { get: vi.fn(async () => ('lead' in over ? over.lead : lin)) },
    stillLive: vi.fn(async () => !over.goneBeforeSes),
    contacts: { get: vi.fn(async () => ('contact' in over ? over.contact : bo)), list: vi.fn(async () => [bo]) },
    templates: { get: vi.fn(async () => ('template' in over ? over.template : template)) },
    suppressions: { suppressedAmong: vi.fn(async (_t: string, addresses: readonly string[]) => new Set(over.suppressed ? addresses : [])) },
    settings: { get: vi.fn(async (tenantId: string) => ({ ...defaultMarketingSettings(tenantId), frequencyCap: { maxEmails: 5, windowDays: 7 } })) },
    frequency: {
      reserveMarketingSend: vi.fn(async () => (over.capped ? { reserved: false as const, reason: 'capped' as const, nextAllowedAt: '2027-01-05T00:00:00.000Z' } : { reserved: true as const })),
      releaseMarketingSend: vi.fn(async () => true),
    },
    leadFrequency: { reserveMarketingSend: vi.fn(async () => ({ reserved: true as const })), releaseMarketingSend: vi.fn(async () => true) },
    contactFrequency: { reserveMarketingSend: vi.fn(async () => ({ reserved: true as const })), releaseMarketingSend: vi.fn(async () => true) },
    offers: {
      acquireOfferLock: vi.fn(async () =>
        over.offerHeldBy ? { acquired: false as const, heldBy: over.offerHeldBy, until: '2027-01-15T00:00:00.000Z' } : { acquired: true as const, until: '2027-01-15T00:00:00.000Z' },
      ),
      releaseOfferLock: vi.fn(async () => true),
    },
    rate: { acquire: vi.fn(async () => true) },
    mailer: {
      sendSimple: vi.fn(async (): Promise<{ messageId: string }> => {
        throw new Error('an automation sends stored templates only');
      }),
      sendTemplated: vi.fn(async (email: TemplatedMail) => {
        if (over.sesFails) throw new Error('SES says no');
        sent.push(email);
        return { messageId: 'M1' };
      }),
    },
    unsubscribeSecret: async () => SECRET,
    apiBaseUrl: 'https://api.example.com/',
    stage: 'dev',
  } satisfies AutomationSendDeps;
  return { d, sent };
}

describe('sendAutomationEmail', () => {
  it('sends the stored SES template to the first address with data, one-click unsubscribe headers, tags and the configuration set', async () => {
    const { d, sent } = deps();
    const result = await sendAutomationEmail(d, request);

    expect(result).toEqual({ outcome: 'sent', messageId: 'M1', subject: 'Welcome, Ada <Lovelace>' });
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    expect(mail).toMatchObject({ to: 'ada@example.com', templateName: sesTemplateName('dev', 't1', 'TPL1') });
    const url = mail.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    expect(url).toMatch(/^https:\/\/api\.example\.com\/unsubscribe\//);
    expect(mail.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    expect(verifyUnsubscribeToken(decodeURIComponent(url.split('/').pop()!), SECRET)).toEqual({ tenantId: 't1', customerId: 'C1', topic: 'marketing', issuedAt: NOW, automationId: 'A1', eventId: 'E1' });
    expect(mail.data).toMatchObject({ customer: { name: 'Ada <Lovelace>' }, unsubscribeUrl: url, html: { customer: { name: 'Ada &#60;Lovelace&#62;' } } });
    // The automation and event come back on SES events and the unsubscribe: they count on the automation's stats.
    expect(mail.tags).toEqual({ tenantId: 't1', customerId: 'C1', topic: 'marketing', automationId: 'A1', eventId: 'E1' });
    expect(d.frequency.reserveMarketingSend).toHaveBeenCalledWith('t1', 'C1', 'A1#E1', NOW, { maxEmails: 5, windowDays: 7 });
    expect(d.rate.acquire).toHaveBeenCalledWith(1);
  });

  it.each([
    ['customer-gone', { customer: undefined }],
    ['no-address', { customer: { ...ada, emails: [] } }],
    ['no-consent', { customer: { ...ada, consent: { marketing: { granted: false, at: NOW, source: 'unsubscribe-link' } } } }],
    ['template-gone', { template: undefined }],
    ['suppressed', { suppressed: true }],
  ] as const)('skips with %s before taking a frequency slot', async (outcome, over) => {
    const { d, sent } = deps(over as Parameters<typeof deps>[0]);
    expect(await sendAutomationEmail(d, request)).toEqual({ outcome });
    expect(d.frequency.reserveMarketingSend).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('skips a capped customer, saying when the next mail is allowed, without using the send rate', async () => {
    const { d, sent } = deps({ capped: true });
    expect(await sendAutomationEmail(d, request)).toEqual({ outcome: 'capped', nextAllowedAt: '2027-01-05T00:00:00.000Z' });
    expect(d.rate.acquire).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('gives the frequency slot back and throws when SES refuses the send', async () => {
    const { d } = deps({ sesFails: true });
    await expect(sendAutomationEmail(d, request)).rejects.toThrow('SES says no');
    expect(d.frequency.releaseMarketingSend).toHaveBeenCalledWith('t1', 'C1', 'A1#E1');
    expect(d.offers.acquireOfferLock).not.toHaveBeenCalled();
  });

  it('takes the offer lock for an offer: another offer holding it skips the mail and gives the cap slot back', async () => {
    const held = deps({ offerHeldBy: 'winter-sale' });
    expect(await sendAutomationEmail(held.d, { ...request, offer: 'spring-sale' })).toEqual({ outcome: 'offer-locked' });
    expect(held.d.offers.acquireOfferLock).toHaveBeenCalledWith('t1', 'C1', 'spring-sale', '2027-01-15T10:00:00.000Z', NOW);
    expect(held.d.frequency.releaseMarketingSend).toHaveBeenCalledWith('t1', 'C1', 'A1#E1');
    expect(held.sent).toEqual([]);

    const free = deps();
    expect(await sendAutomationEmail(free.d, { ...request, offer: 'spring-sale' })).toMatchObject({ outcome: 'sent' });
    expect(free.sent).toHaveLength(1);

    const failing = deps({ sesFails: true });
    await expect(sendAutomationEmail(failing.d, { ...request, offer: 'spring-sale' })).rejects.toThrow('SES says no');
    expect(failing.d.offers.releaseOfferLock).toHaveBeenCalledWith('t1', 'C1', 'spring-sale');
  });

  it("mails a lead at its own address with its fields, its own frequency cap, a lead's token and the lead alone on the tags", async () => {
    const { d, sent } = deps();
    expect(await sendAutomationEmail(d, toLead)).toMatchObject({ outcome: 'sent', subject: 'Welcome, Lin' });
    const mail = sent[0]!;
    expect(mail.to).toBe('lin@example.com');
    expect(mail.tags).toEqual({ tenantId: 't1', leadId: 'L1', topic: 'marketing', automationId: 'A1', eventId: 'E1' });
    const url = mail.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    expect(verifyUnsubscribeToken(decodeURIComponent(url.split('/').pop()!), SECRET)).toMatchObject({ customerId: 'L1', leadId: 'L1', automationId: 'A1' });
    expect(d.leadFrequency.reserveMarketingSend).toHaveBeenCalledWith('t1', 'L1', 'A1#E1', NOW, { maxEmails: 5, windowDays: 7 });
    expect(d.frequency.reserveMarketingSend).not.toHaveBeenCalled();
    expect(d.customers.get).not.toHaveBeenCalled();
  });

  it.each([
    ['lead-gone', { lead: undefined }],
    ['lead-gone', { lead: { ...lin, status: 'converted' as const, convertedCustomerId: 'C9' } }],
    ['lead-gone', { lead: { ...lin, erasedAt: NOW } as Lead }],
    ['no-address', { lead: { ...lin, email: null } }],
    ['no-consent', { lead: { ...lin, consent: {} } }],
  ] as const)('skips a lead with %s', async (outcome, over) => {
    const { d, sent } = deps(over as Parameters<typeof deps>[0]);
    expect(await sendAutomationEmail(d, toLead)).toEqual({ outcome });
    expect(d.leadFrequency.reserveMarketingSend).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('sends a lead no offer: the offer lock is a customer\'s', async () => {
    const { d, sent } = deps();
    expect(await sendAutomationEmail(d, { ...toLead, offer: 'spring-sale' })).toEqual({ outcome: 'offer-customers-only' });
    expect(d.offers.acquireOfferLock).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it("mails a company's contact at its own address, under its own consent and cap, with the company's and the contact's fields; its link names the contact", async () => {
    const addressed = { ...template, subject: 'Hi {{contact.name}} at {{customer.name}}', placeholders: ['contact.name', 'customer.name'] };
    const { d, sent } = deps({ template: addressed });
    expect(await sendAutomationEmail(d, toContact)).toMatchObject({ outcome: 'sent', subject: 'Hi Bo at Ada <Lovelace>' });
    const mail = sent[0]!;
    expect(mail.to).toBe('bo@ada.example');
    expect(mail.tags).toEqual({ tenantId: 't1', customerId: 'C1', contactId: 'K1', topic: 'marketing', automationId: 'A1', eventId: 'E1' });
    expect(mail.data).toMatchObject({ customer: { name: 'Ada <Lovelace>' }, contact: { name: 'Bo' } });
    const url = mail.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    expect(verifyUnsubscribeToken(decodeURIComponent(url.split('/').pop()!), SECRET)).toMatchObject({ customerId: 'C1', contactId: 'K1', automationId: 'A1' });
    expect(d.contactFrequency.reserveMarketingSend).toHaveBeenCalledWith('t1', 'C1#K1', 'A1#E1', NOW, { maxEmails: 5, windowDays: 7 });
    expect(d.frequency.reserveMarketingSend).not.toHaveBeenCalled();
  });

  it.each([
    ['contact-gone', { contact: undefined }],
    ['contact-gone', { customer: { ...ada, erasedAt: NOW } }],
    ['no-consent', { contact: { ...bo, consent: {} } }],
    ['no-address', { contact: { ...bo, emails: [] } }],
  ] as const)('skips a contact with %s', async (outcome, over) => {
    const { d, sent } = deps(over as Parameters<typeof deps>[0]);
    expect(await sendAutomationEmail(d, toContact)).toEqual({ outcome });
    expect(sent).toEqual([]);
  });

  it('sends a contact no offer either', async () => {
    const { d } = deps();
    expect(await sendAutomationEmail(d, { ...toContact, offer: 'spring-sale' })).toEqual({ outcome: 'offer-customers-only' });
  });

  it('mails nobody erased while the send waited for the send rate: the last read before SES says gone, and the cap slot and the offer lock go back', async () => {
    const { d, sent } = deps({ goneBeforeSes: true });
    expect(await sendAutomationEmail(d, { ...request, offer: 'spring-sale' })).toEqual({ outcome: 'customer-gone' });
    expect(d.rate.acquire).toHaveBeenCalled();
    expect(d.stillLive).toHaveBeenCalledWith('t1', request.recipient);
    expect(d.frequency.releaseMarketingSend).toHaveBeenCalledWith('t1', 'C1', 'A1#E1');
    expect(d.offers.releaseOfferLock).toHaveBeenCalledWith('t1', 'C1', 'spring-sale');
    expect(sent).toEqual([]);
    expect(await sendAutomationEmail(deps({ goneBeforeSes: true }).d, toLead)).toEqual({ outcome: 'lead-gone' });
  });
});
