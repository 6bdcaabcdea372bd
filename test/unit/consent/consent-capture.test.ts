import { describe, expect, it } from 'vitest';
import { answeredAgain, answersForCustomer, capturedConsent, consentFromLead, formPostFields } from '../../../shared/consent/consent-capture';
import { fieldErrors } from '../../../shared/field-errors';
import { createLeadInput, formSubmissionInput, leadView, newLead } from '../../../shared/leads/lead';
import { contactFromLead, conversionActivity, convertedLead, customerFromLead } from '../../../shared/leads/lead-conversion';
import type { Caller } from '../../../shared/access/caller';

const NOW = '2026-12-07T10:00:00.000Z';
const rep: Caller = { userId: 'rep-1', tenantId: 't', groups: ['rep'], teamId: 'north' };
const pathsOf = (body: unknown) => {
  const parsed = createLeadInput.safeParse(body);
  return parsed.success ? [] : fieldErrors(parsed.error).map((e) => e.path);
};

describe('consent in a lead body', () => {
  it('takes answers per topic with the wording shown', () => {
    const parsed = createLeadInput.parse({ email: 'a@b.example', consent: { newsletter: true, offers: false }, consentText: ' Send me the newsletter ' });
    expect(parsed.consent).toEqual({ newsletter: true, offers: false });
    expect(parsed.consentText).toBe('Send me the newsletter');
  });

  it('names the topic whose answer is not true or false', () => {
    expect(pathsOf({ email: 'a@b.example', consent: { newsletter: 'yes' }, consentText: 'x' })).toEqual(['consent.newsletter']);
  });

  it('names a topic that is not a topic name', () => {
    expect(pathsOf({ email: 'a@b.example', consent: { 'News Letter': true }, consentText: 'x' })).toEqual(['consent.News Letter']);
  });

  it('refuses answers without the wording, naming consentText', () => {
    expect(pathsOf({ email: 'a@b.example', consent: { newsletter: true } })).toEqual(['consentText']);
  });

  it('refuses consent that is not an object', () => {
    expect(pathsOf({ email: 'a@b.example', consent: true, consentText: 'x' })).toEqual(['consent']);
  });

  it('holds for the public form too', () => {
    expect(formSubmissionInput.safeParse({ email: 'a@b.example', consent: { newsletter: 1 }, consentText: 'x' }).success).toBe(false);
  });
});

describe('the records a capture stores', () => {
  it('carry the answer, the server time, the channel and the evidence', () => {
    const records = capturedConsent({ newsletter: true, offers: false }, { text: 'Yes please', pageUrl: 'https://x.example/p', formId: 'F1' }, 'form', NOW);
    expect(records).toEqual({
      newsletter: { granted: true, at: NOW, source: 'form', evidence: { text: 'Yes please', pageUrl: 'https://x.example/p', formId: 'F1' } },
      offers: { granted: false, at: NOW, source: 'form', evidence: { text: 'Yes please', pageUrl: 'https://x.example/p', formId: 'F1' } },
    });
  });

  it('are none without answers', () => {
    expect(capturedConsent(undefined, null, 'api', NOW)).toEqual({});
  });

  it('are on the new lead and in its view', () => {
    const lead = newLead(
      { email: 'a@b.example', consent: { newsletter: true }, consentText: 'Yes please', pageUrl: 'https://x.example/p' },
      { id: 'L1', tenantId: 't', channel: 'api', formId: null, actorId: 'u', nowIso: NOW, defaultSource: null },
    );
    expect(leadView(lead).consent.newsletter).toEqual({ granted: true, at: NOW, source: 'api', evidence: { text: 'Yes please', pageUrl: 'https://x.example/p', formId: null } });
  });

  it('read as none on a lead stored before consent at the source', () => {
    const { consent: _c, ...old } = newLead({ email: 'a@b.example' }, { id: 'L1', tenantId: 't', channel: 'api', formId: null, actorId: 'u', nowIso: NOW, defaultSource: null });
    expect(leadView(old).consent).toEqual({});
  });
});

describe('conversion carries consent', () => {
  const lead = newLead(
    { name: 'Ada', email: 'ada@b.example', company: 'Acme', consent: { newsletter: true }, consentText: 'Yes please', pageUrl: 'https://x.example/p' },
    { id: 'L1', tenantId: 't', channel: 'form', formId: 'F1', actorId: 'form:F1', nowIso: '2026-11-01T08:00:00.000Z', defaultSource: null },
  );
  const carried = { granted: true, at: '2026-11-01T08:00:00.000Z', source: 'form', evidence: { text: 'Yes please', pageUrl: 'https://x.example/p', formId: 'F1' }, convertedFromLead: 'L1' };

  it('keeps time and evidence and names the lead', () => {
    expect(consentFromLead('L1', lead.consent)).toEqual({ newsletter: carried });
  });

  it('to a person customer', () => {
    expect(customerFromLead(lead, null, null, false, rep, 'C1', NOW).consent).toEqual({ newsletter: carried });
  });

  it('to the contact of a company, not to the company', () => {
    const company = customerFromLead(lead, undefined, null, false, rep, 'C1', NOW);
    expect(company.consent).toEqual({});
    expect(contactFromLead(lead, company, rep, 'K1', NOW)?.consent).toEqual({ newsletter: carried });
  });

  it('onto the timeline entry, and off the converted lead', () => {
    expect(conversionActivity(lead, [], 0, 'C1', rep, 'A1', NOW).payload?.consent).toEqual(lead.consent);
    expect(convertedLead(lead, { at: NOW, userId: 'rep-1', customerId: 'C1', customerCreated: true, contactId: null, dealId: null, activityId: 'A1' }).consent).toEqual({});
  });
});

describe('an HTML form post', () => {
  it('turns checkboxes, utm fields and the company size into the lead body', () => {
    expect(formPostFields({ email: 'a@b.example', 'consent.newsletter': 'on', 'consent.offers': 'off', 'utm.source': 'ads', companySize: '50', website_url: '' })).toEqual({
      body: { email: 'a@b.example', consent: { newsletter: true, offers: false }, utm: { source: 'ads' }, companySize: 50, website_url: '' },
    });
  });

  it('names a checkbox value it cannot read', () => {
    expect(formPostFields({ 'consent.newsletter': 'maybe' })).toEqual({ errors: [{ path: 'consent.newsletter', message: 'Expected a checkbox value: on (granted) or off (refused)' }] });
  });

  it('leaves a company size that is not a number to the schema', () => {
    expect(formPostFields({ companySize: 'many' })).toEqual({ body: { companySize: 'many' } });
  });
});

describe('a known person answering again', () => {
  const first = capturedConsent({ newsletter: true, offers: false }, { text: 'First', pageUrl: null, formId: 'F1' }, 'form', '2026-11-01T00:00:00.000Z');
  const again = (answers: Record<string, boolean>) => capturedConsent(answers, { text: 'Second', pageUrl: null, formId: 'F1' }, 'form', NOW);

  it('keeps an unchanged answer with its first time and evidence', () => {
    expect(answeredAgain({ consent: first, pending: {} }, again({ newsletter: true }), false)).toEqual({ consent: first, pending: {}, waiting: [] });
  });

  it('records a changed answer', () => {
    const { consent } = answeredAgain({ consent: first, pending: {} }, again({ newsletter: false, offers: true }), false);
    expect(consent.newsletter).toMatchObject({ granted: false, at: NOW, evidence: { text: 'Second' } });
    expect(consent.offers).toMatchObject({ granted: true, at: NOW });
  });

  it('under double opt-in lets a new grant wait, and a refusal drops one that waited', () => {
    const waited = answeredAgain({ consent: first, pending: {} }, again({ offers: true }), true);
    expect(waited.consent.offers).toEqual(first.offers);
    expect(waited.pending.offers).toMatchObject({ requestedAt: NOW, evidence: { text: 'Second' } });
    expect(waited.waiting).toEqual(['offers']);
    const refused = answeredAgain({ consent: first, pending: waited.pending }, again({ offers: false }), true);
    expect(refused.pending).toEqual({});
    expect(refused.waiting).toEqual([]);
  });
});

describe("a capture's answers for the customer it matched", () => {
  const evidence = { text: 'Yes please', pageUrl: null, formId: 'F1' };
  const captured = capturedConsent({ newsletter: true, offers: false }, evidence, 'form', NOW);
  const cleo = { emails: ['cleo@example.com'], consent: { offers: { granted: true, at: '2026-01-01T00:00:00.000Z', source: 'api' } } };

  it("apply only when the address given is one of the customer's own", () => {
    expect(answersForCustomer(cleo, 'someone@example.com', captured, false)).toBeUndefined();
    expect(answersForCustomer(cleo, null, captured, false)).toBeUndefined();
    expect(answersForCustomer(cleo, 'cleo@example.com', {}, false)).toBeUndefined();
  });

  it('grant and refuse at once without double opt-in', () => {
    const answers = answersForCustomer(cleo, 'cleo@example.com', captured, false)!;
    expect(answers.consent).toMatchObject({ newsletter: { granted: true, evidence }, offers: { granted: false, evidence } });
    expect(answers).toMatchObject({ waiting: [], pending: {}, changedFields: ['consent'] });
  });

  it('under double opt-in let the grant wait and the refusal count', () => {
    const answers = answersForCustomer(cleo, 'cleo@example.com', captured, true)!;
    expect(answers.consent.newsletter).toBeUndefined();
    expect(answers.consent.offers).toMatchObject({ granted: false });
    expect(answers.waiting).toEqual(['newsletter']);
    expect(answers.changedFields).toEqual(['consent', 'pendingConsent']);
  });

  it('change nothing when the answers are the ones on record', () => {
    const same = { emails: ['cleo@example.com'], consent: { newsletter: { granted: true, at: NOW, source: 'api' } } };
    expect(answersForCustomer(same, 'cleo@example.com', capturedConsent({ newsletter: true }, evidence, 'form', NOW), false)).toBeUndefined();
  });
});
