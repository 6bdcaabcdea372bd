import { describe, expect, it } from 'vitest';
import { sesBusEvent, type SesEventDetail } from '../../../events/ses/ses-email-event';
import { mapSesEvent } from '../../../shared/ses-events/ses-event-mapping';
import { attributionFromTags } from '../../../shared/ses-events/ses-message-tags';
import { sesTags } from '../../../shared/aws/ses-tags';
import { addressesHeldBy } from '../../../shared/privacy/customer-erasure';
import { addressHash } from '../../../shared/consent/suppression';

const TIME = '2026-11-23T12:00:05Z';
const mail = (tags?: Record<string, string[]>) => ({
  timestamp: '2026-11-23T12:00:00.000Z',
  source: 'crm@example.com',
  messageId: 'msg-1',
  destination: ['Ada <Ada@Example.com>'],
  headersTruncated: false,
  tags: { 'ses:configuration-set': ['crm-prod'], ...tags },
});
const ours = { tenant: ['t-1'], customer: ['c-1'], campaign: ['cmp-1'], recipient: ['r-1'] };
const bounce = (bounceType: string): SesEventDetail => ({
  eventType: 'Bounce',
  mail: mail(ours),
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'ada@example.com' }], timestamp: '2026-11-23T12:00:03.000Z' },
});

describe('SES events', () => {
  it('a hard bounce suppresses the bounced address and notes it, with the campaign for its stats', () => {
    const result = mapSesEvent('Email Bounced', bounce('Permanent'), TIME);
    expect(result).toEqual({
      outcome: {
        kind: 'bounce',
        timelineKey: 'bounce-hard',
        messageId: 'msg-1',
        attribution: { tenantId: 't-1', customerId: 'c-1', campaignId: 'cmp-1', recipientId: 'r-1' },
        occurredAt: '2026-11-23T12:00:03.000Z',
        suppress: { reason: 'hard-bounce', addresses: ['ada@example.com'] },
        timeline: {
          subject: 'Email bounced (permanent): address suppressed',
          payload: { event: 'bounce', messageId: 'msg-1', bounceType: 'Permanent', bounceSubType: 'General', campaignId: 'cmp-1' },
        },
      },
    });
  });

  it('a soft bounce is noted but suppresses nothing', () => {
    for (const type of ['Transient', 'Undetermined']) {
      const result = mapSesEvent('Email Bounced', bounce(type), TIME);
      expect('outcome' in result && result.outcome.suppress).toBeFalsy();
      expect('outcome' in result && result.outcome.timeline.subject).toBe('Email bounced (temporary)');
    }
  });

  it('a complaint suppresses the recipient (the destination when SES names none), normalized', () => {
    const detail: SesEventDetail = { eventType: 'Complaint', mail: mail(ours), complaint: { complainedRecipients: [], timestamp: '2026-11-23T13:00:00Z' } };
    const result = mapSesEvent('Email Complaint Received', detail, TIME);
    expect('outcome' in result && result.outcome.suppress).toEqual({ reason: 'complaint', addresses: ['ada@example.com'] });
  });

  it('delivery, open and click are noted without suppressing', () => {
    const cases = [
      ['Email Delivered', { delivery: { timestamp: TIME } }, 'Email delivered'],
      ['Email Opened', { open: { timestamp: TIME } }, 'Email opened'],
      ['Email Clicked', { click: { timestamp: TIME, link: 'https://example.com/offer' } }, 'Email link clicked'],
    ] as const;
    for (const [detailType, extra, subject] of cases) {
      const result = mapSesEvent(detailType, { eventType: 'x', mail: mail(ours), ...extra }, TIME);
      expect('outcome' in result && result.outcome.suppress, detailType).toBeUndefined();
      expect('outcome' in result && result.outcome.timeline.subject, detailType).toBe(subject);
    }
  });

  it('mail without our tags and event types we do not handle are ignored', () => {
    expect(mapSesEvent('Email Bounced', { ...bounce('Permanent'), mail: mail() }, TIME)).toEqual({ ignored: 'untagged' });
    expect(mapSesEvent('Email Sent', { eventType: 'Send', mail: mail(ours) }, TIME)).toEqual({ ignored: 'unhandled-type' });
  });

  it('the contract accepts a real SES event with fields it does not model', () => {
    const event = {
      version: '0', id: 'e-1', 'detail-type': 'Email Bounced', source: 'aws.ses', account: '1', time: TIME, region: 'eu-west-1', resources: [],
      detail: { ...bounce('Permanent'), mail: { ...mail(ours), commonHeaders: { subject: 'Hi' }, headers: [{ name: 'X', value: 'y' }] }, bounce: { ...bounce('Permanent').bounce, reportingMTA: 'dns; x', feedbackId: 'f' } },
    };
    expect(sesBusEvent.safeParse(event).success).toBe(true);
    expect(sesBusEvent.safeParse({ ...event, source: 'crm' }).success).toBe(false);
  });
});

describe('message tags', () => {
  it('round-trip between what the sender sets and what SES reports', () => {
    const tags = sesTags({ tenantId: 't-1', customerId: 'c-1', contactId: 'p-1', topic: 'marketing', kind: 'welcome-email' });
    expect(tags).toEqual([
      { Name: 'tenant', Value: 't-1' },
      { Name: 'customer', Value: 'c-1' },
      { Name: 'contact', Value: 'p-1' },
      { Name: 'topic', Value: 'marketing' },
      { Name: 'kind', Value: 'welcome-email' },
    ]);
    // `kind` names the mail for whoever reads the events; it is not part of the attribution.
    expect(attributionFromTags(Object.fromEntries(tags.map((t) => [t.Name, [t.Value]])))).toEqual({ tenantId: 't-1', customerId: 'c-1', contactId: 'p-1', topic: 'marketing' });
  });

  it('are not ours without both tenant and customer', () => {
    expect(attributionFromTags({ tenant: ['t-1'], kind: ['reclaim-digest'] })).toBeUndefined();
    expect(attributionFromTags(undefined)).toBeUndefined();
  });
});

describe('suppression rules', () => {
  it('hash the normalized address', () => {
    expect(addressHash(' Ada@Example.COM ')).toBe(addressHash('ada@example.com'));
    expect(addressHash('ada@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });


  it('erasure takes the addresses of the profile and contacts out of the list, nothing else', () => {
    expect(addressesHeldBy({ SK: 'PROFILE', emails: ['a@example.com'] })).toEqual(['a@example.com']);
    expect(addressesHeldBy({ SK: 'CONTACT#1', emails: ['b@example.com'] })).toEqual(['b@example.com']);
    expect(addressesHeldBy({ SK: 'PROFILE', erasedAt: 'x' })).toEqual([]);
    expect(addressesHeldBy({ SK: 'ACT#1', payload: { emails: ['c@example.com'] } })).toEqual([]);
  });
});
