import { describe, expect, it } from 'vitest';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import type { EmailTemplate } from '../../../shared/templates/email-template';
import { automationEmailActivity, automationMailIds, automationSendId, planAutomationSend, recipientSkip } from '../../../shared/automations/automation-send';
import { customerMailFacts, leadMailFacts } from '../../../shared/consent/marketing-recipient';
import { type Lead, newLead } from '../../../shared/leads/lead';

const caller = { userId: 'm-1', tenantId: 't1', groups: ['marketer' as const] };
const NOW = '2027-01-01T10:00:00.000Z';
const customer = (over: Partial<Customer> = {}): Customer => ({
  ...newCustomer({ name: 'Ada', emails: ['ada@example.com'], consent: { marketing: true, newsletter: false } }, caller, 'C1', NOW),
  ...over,
});
const template = { id: 'TPL1' } as EmailTemplate;

describe('planAutomationSend (due time)', () => {
  it('is due at occurredAt + delay, later when that is still ahead', () => {
    expect(planAutomationSend('2027-01-01T09:59:00.000Z', 3600, NOW)).toEqual({ when: 'later', dueAt: '2027-01-01T10:59:00.000Z' });
    expect(planAutomationSend(NOW, 1, NOW)).toEqual({ when: 'later', dueAt: '2027-01-01T10:00:01.000Z' });
  });

  it('sends now without a delay, and when a late delivery finds the due time passed or exactly now', () => {
    expect(planAutomationSend(NOW, 0, NOW)).toEqual({ when: 'now' });
    expect(planAutomationSend('2027-01-01T08:00:00.000Z', 3600, NOW)).toEqual({ when: 'now' });
    expect(planAutomationSend('2027-01-01T09:00:00.000Z', 3600, NOW)).toEqual({ when: 'now' });
  });
});

describe('recipientSkip', () => {
  const skip = (c: Customer | undefined, topic: string, t: object | undefined) => recipientSkip({ kind: 'customer' }, customerMailFacts(c, topic), t);

  it('lets a live customer with an address and consent to the topic through', () => {
    expect(skip(customer(), 'marketing', template)).toBeUndefined();
  });

  it('refuses, in order: gone (unknown, merged, erased), no address, no consent, no template', () => {
    expect(skip(undefined, 'marketing', template)).toBe('customer-gone');
    expect(skip(customer({ mergedInto: 'C2', emails: [] }), 'marketing', template)).toBe('customer-gone');
    expect(skip(customer({ erasedAt: NOW }), 'marketing', undefined)).toBe('customer-gone');
    expect(skip(customer({ emails: [], consent: {} }), 'marketing', undefined)).toBe('no-address');
    expect(skip(customer(), 'newsletter', undefined)).toBe('no-consent');
    expect(skip(customer(), 'offers', template)).toBe('no-consent');
    expect(skip(customer(), 'marketing', undefined)).toBe('template-gone');
  });

  it("says lead-gone for a lead that is no longer one (erased, converted), and takes its consent from the capture", () => {
    const lead = newLead({ email: 'lin@example.com', consent: { marketing: true }, consentText: 'Send me news' }, { id: 'L1', tenantId: 't1', channel: 'form', formId: 'F1', actorId: 'form:F1', nowIso: NOW, defaultSource: null });
    const leadSkip = (l: Lead | undefined, topic = 'marketing') => recipientSkip({ kind: 'lead' }, leadMailFacts(l, topic), template);
    expect(leadSkip(lead)).toBeUndefined();
    expect(leadSkip(lead, 'newsletter')).toBe('no-consent');
    expect(leadSkip({ ...lead, status: 'converted' })).toBe('lead-gone');
    expect(leadSkip({ ...lead, erasedAt: NOW } as Lead)).toBe('lead-gone');
    expect(leadSkip(undefined)).toBe('lead-gone');
    expect(leadSkip({ ...lead, email: null })).toBe('no-address');
  });
});

describe('the send', () => {
  it('takes one frequency-cap slot per automation and event', () => {
    expect(automationSendId('A1', 'E1')).toBe('A1#E1');
    expect(automationSendId('A1', 'E1')).not.toBe(automationSendId('A1', 'E2'));
  });

  it('is noted on the timeline as an outbound email by the system actor `automation`', () => {
    const send = { customerId: 'C1', automationId: 'A1', eventId: 'E1', eventType: 'crm.customer.stage-changed.v1', templateId: 'TPL1', topic: 'marketing' };
    expect(automationEmailActivity(send, { messageId: 'M1', subject: 'Welcome, Ada' }, 'ACT1', NOW)).toEqual({
      id: 'ACT1',
      customerId: 'C1',
      type: 'email',
      occurredAt: NOW,
      subject: 'Welcome, Ada',
      body: null,
      payload: { messageId: 'M1', direction: 'outbound', automationId: 'A1', templateId: 'TPL1', topic: 'marketing', eventId: 'E1', eventType: 'crm.customer.stage-changed.v1' },
      actor: { type: 'system', id: 'automation' },
      loggedAt: NOW,
    });
  });
});

describe('automationMailIds', () => {
  it('carries the automation and event ids when a tag and a token can hold them unchanged, else none', () => {
    expect(automationMailIds('A1', '01JEVENT_0-1')).toEqual({ automationId: 'A1', eventId: '01JEVENT_0-1' });
    expect(automationMailIds('A1', 'evt.1')).toEqual({});
    expect(automationMailIds('A1', 'e'.repeat(65))).toEqual({});
  });
});
