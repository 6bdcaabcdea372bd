import { describe, expect, it } from 'vitest';
import { awaitingConfirmation, capturedConsent, confirmedConsent } from '../../../shared/consent/consent-capture';
import { confirmationMail, InvalidConfirmationLink, signConfirmationLink, verifyConfirmationLink } from '../../../shared/consent/consent-confirmation';
import { signUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { newLead } from '../../../shared/leads/lead';
import { confirmConsent } from '../../../shared/leads/lead-consent-use-case';
import { LeadErased } from '../../../shared/leads/lead-errors';
import { LeadChanged } from '../../../shared/leads/lead-repository';
import type { Lead } from '../../../shared/leads/lead';
import { MalformedRequest } from '../../../shared/errors';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';
const NOW = '2026-12-07T10:00:00.000Z';
const evidence = { text: 'Yes please', pageUrl: 'https://x.example/p', formId: 'F1' };

describe('double opt-in: what waits', () => {
  it('holds grants back with their evidence and records refusals at once', () => {
    const { consent, pending } = awaitingConfirmation(capturedConsent({ newsletter: true, offers: false }, evidence, 'form', NOW));
    expect(pending).toEqual({ newsletter: { requestedAt: NOW, source: 'form', evidence } });
    expect(consent).toEqual({ offers: { granted: false, at: NOW, source: 'form', evidence } });
  });

  it('grants at the confirmation time, keeping the request time and evidence', () => {
    expect(confirmedConsent({ newsletter: { requestedAt: NOW, source: 'form', evidence } }, '2026-12-08T09:00:00.000Z')).toEqual({
      newsletter: { granted: true, at: '2026-12-08T09:00:00.000Z', source: 'form', evidence, requestedAt: NOW },
    });
  });

  it('is how a lead is made under the tenant\'s switch, and not without it', () => {
    const input = { email: 'a@b.example', consent: { newsletter: true }, consentText: 'Yes please' };
    const context = { id: 'L1', tenantId: 't', channel: 'form' as const, formId: 'F1', actorId: 'form:F1', nowIso: NOW, defaultSource: null };
    const held = newLead(input, { ...context, doubleOptIn: true });
    expect(held.consent).toEqual({});
    expect(Object.keys(held.pendingConsent!)).toEqual(['newsletter']);
    const granted = newLead(input, context);
    expect(granted.consent?.newsletter?.granted).toBe(true);
    expect(granted.pendingConsent).toEqual({});
  });
});

describe('the confirmation link', () => {
  const claims = { tenantId: 't1', leadId: '01JLEAD', issuedAt: NOW };

  it('verifies what it signed', () => {
    expect(verifyConfirmationLink(signConfirmationLink(claims, SECRET), SECRET)).toEqual(claims);
  });

  it('refuses a changed, foreign or other kind of token', () => {
    const token = signConfirmationLink(claims, SECRET);
    const [payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify({ t: 't1', l: 'SOMEONE-ELSE', i: NOW })).toString('base64url');
    expect(() => verifyConfirmationLink(`${other}.${signature}`, SECRET)).toThrow(InvalidConfirmationLink);
    expect(() => verifyConfirmationLink(token, `${SECRET}x`)).toThrow(InvalidConfirmationLink);
    expect(() => verifyConfirmationLink(`${payload}`, SECRET)).toThrow(InvalidConfirmationLink);
    const unsubscribe = signUnsubscribeToken({ tenantId: 't1', customerId: '01JLEAD', topic: 'newsletter', issuedAt: NOW }, SECRET);
    expect(() => verifyConfirmationLink(unsubscribe, SECRET)).toThrow(InvalidConfirmationLink);
  });

  it('is in the mail with the wording, escaped in html', () => {
    const mail = confirmationMail(['newsletter'], 'Yes <please>', 'https://api.example/consent-confirmations/x.y');
    expect(mail.text).toContain('https://api.example/consent-confirmations/x.y');
    expect(mail.text).toContain('Yes <please>');
    expect(mail.html).toContain('Yes &#60;please&#62;');
  });
});

describe('following the link', () => {
  const pendingLead = (): Lead => ({
    ...newLead({ email: 'a@b.example', consent: { newsletter: true }, consentText: 'Yes please' }, { id: 'L1', tenantId: 't1', channel: 'form', formId: 'F1', actorId: 'x', nowIso: NOW, defaultSource: null, doubleOptIn: true }),
  });
  const token = signConfirmationLink({ tenantId: 't1', leadId: 'L1', issuedAt: NOW }, SECRET);
  const secret = async () => SECRET;
  const customers = { matchedCustomer: async () => undefined, saveCustomerConsent: async () => true };

  it('grants what waited, conditioned on the version read', async () => {
    const saved: { lead: Lead; expected: number }[] = [];
    const lead = pendingLead();
    await confirmConsent({ leads: { load: async () => ({ lead, signals: [] }), save: async (l, expected) => void saved.push({ lead: l, expected }) }, customers, secret }, token);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.expected).toBe(lead.version);
    expect(saved[0]!.lead.consent?.newsletter).toMatchObject({ granted: true, requestedAt: NOW, evidence: { text: 'Yes please' } });
    expect(saved[0]!.lead.pendingConsent).toEqual({});
  });

  it('after losing a race reads the winner\'s grant and writes nothing more', async () => {
    let reads = 0;
    const saved: Lead[] = [];
    const first = pendingLead();
    const confirmed = { ...first, consent: { newsletter: { granted: true, at: NOW, source: 'form' } }, pendingConsent: {}, version: 2 };
    await confirmConsent(
      {
        leads: {
          load: async () => ({ lead: reads++ === 0 ? first : confirmed, signals: [] }),
          save: async (l) => {
            saved.push(l);
            throw new LeadChanged();
          },
        },
        customers,
        secret,
      },
      token,
    );
    expect(saved).toHaveLength(1);
    expect(reads).toBe(2);
  });

  it('answers the link of an erased lead as that of one that is gone: nothing granted, nothing told', async () => {
    const saved: Lead[] = [];
    const load = async () => {
      throw new LeadErased('L1');
    };
    await expect(confirmConsent({ leads: { load, save: async (l) => void saved.push(l) }, customers, secret }, token)).resolves.toBeUndefined();
    expect(saved).toEqual([]);
  });

  it('answers a bad link with malformed-request and reads nothing', async () => {
    let reads = 0;
    const deps = { leads: { load: async () => (reads++, undefined), save: async () => undefined }, customers, secret };
    await expect(confirmConsent(deps, 'garbage.token')).rejects.toBeInstanceOf(MalformedRequest);
    expect(reads).toBe(0);
  });
});
