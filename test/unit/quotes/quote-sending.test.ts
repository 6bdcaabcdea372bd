import { describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../../shared/surveys/survey-token';
import { answeredQuote, expiresAtOf, type Quote, sentQuote, statusOn } from '../../../shared/quotes/quote';
import { InvalidQuoteLink, signQuoteLink, verifyQuoteLink } from '../../../shared/quotes/quote-link-token';
import { quoteLinkPage, quoteMail } from '../../../shared/quotes/quote-page';
import { quoteView } from '../../../shared/quotes/quote';

const SECRET = 'a-link-secret-of-at-least-32-characters!';
const claims = { tenantId: 'acme', customerId: '01JD0000000000000000000002', quoteId: '01JD0000000000000000000059', linkId: '01JD0000000000000000000090' };

const quote = (over: Partial<Quote> = {}): Quote => ({
  id: claims.quoteId,
  number: 'Q-2026-0007',
  customerId: claims.customerId,
  dealId: null,
  ownerId: 'rep-1',
  currency: 'EUR',
  lines: [{ productId: 'p1', sku: 'SEAT<1>', name: 'Seat & <b>desk</b>', category: null, quantity: 2000, unitPrice: 10000, listUnitPrice: 10000, discountPercent: 0, taxRatePercent: 1900 }],
  discountPercent: 0,
  validUntil: '2026-12-31',
  terms: 'Net 30.',
  status: 'approved',
  approval: { processId: null, status: 'not-required' },
  version: 2,
  createdAt: '2026-12-01T10:00:00.000Z',
  createdBy: 'rep-1',
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedBy: 'rep-1',
  ...over,
});

describe('quote links', () => {
  it('verify what this stage signed, and nothing else', () => {
    const token = signQuoteLink(claims, SECRET);
    expect(verifyQuoteLink(token, SECRET)).toEqual(claims);
    expect(() => verifyQuoteLink(token, `${SECRET}-other`)).toThrow(InvalidQuoteLink);
    const [payload, signature] = token.split('.');
    expect(() => verifyQuoteLink(`${payload}x.${signature}`, SECRET)).toThrow(InvalidQuoteLink);
    expect(() => verifyQuoteLink('garbage', SECRET)).toThrow(InvalidQuoteLink);
  });

  it('are not survey tokens, nor the reverse (each kind signs with its own key)', () => {
    const survey = signSurveyToken({ tenantId: 'acme', customerId: claims.customerId, caseId: 'c1', surveyId: 's1', expiresAt: '2027-01-01T00:00:00.000Z' }, SECRET);
    expect(() => verifyQuoteLink(survey, SECRET)).toThrow(InvalidQuoteLink);
  });

  it('refuse claims that are not ids when signing', () => {
    expect(() => signQuoteLink({ ...claims, quoteId: '../x' }, SECRET)).toThrow();
  });
});

describe('a quote sent and answered', () => {
  it('expires after the last instant of validUntil, UTC, whether sent or only approved', () => {
    expect(expiresAtOf('2026-12-31')).toBe('2026-12-31T23:59:59.999Z');
    expect(statusOn(quote({ status: 'sent' }), '2026-12-31T23:59:59.999Z')).toBe('sent');
    expect(statusOn(quote({ status: 'sent' }), '2027-01-01T00:00:00.000Z')).toBe('expired');
    expect(statusOn(quote(), '2027-01-01T00:00:00.000Z')).toBe('expired');
    // An answer stands after the validity ended.
    expect(statusOn(quote({ status: 'accepted' }), '2027-06-01T00:00:00.000Z')).toBe('accepted');
    expect(statusOn(quote({ status: 'draft' }), '2027-06-01T00:00:00.000Z')).toBe('draft');
  });

  it('keeps the link of a first sending when sent again, and takes a new one after approval', () => {
    const first = sentQuote(quote(), { to: 'a@example.com', contactId: null, message: null, newLinkId: 'L1' }, 'rep-1', '2026-12-02T10:00:00.000Z');
    expect(first).toMatchObject({ status: 'sent', version: 3, sent: { linkId: 'L1', expiresAt: '2026-12-31T23:59:59.999Z', to: 'a@example.com' } });
    const again = sentQuote(first, { to: 'b@example.com', contactId: null, message: 'Reminder', newLinkId: 'L2' }, 'rep-1', '2026-12-03T10:00:00.000Z');
    expect(again.sent).toMatchObject({ linkId: 'L1', to: 'b@example.com', message: 'Reminder', at: '2026-12-03T10:00:00.000Z' });
    // Revised, approved again: the old sending is history, the next one gets a new link.
    const reapproved = { ...again, status: 'approved' as const };
    expect(sentQuote(reapproved, { to: 'a@example.com', contactId: null, message: null, newLinkId: 'L3' }, 'rep-1', '2026-12-04T10:00:00.000Z').sent!.linkId).toBe('L3');
  });

  it('is accepted or rejected (the status the issue names for a declined quote)', () => {
    const at = '2026-12-05T10:00:00.000Z';
    expect(answeredQuote(quote({ status: 'sent' }), { outcome: 'accepted', at, via: 'link', signedBy: 'C', reason: null, orderId: 'o1' }, 'quote-link')).toMatchObject({ status: 'accepted', version: 3, updatedBy: 'quote-link' });
    expect(answeredQuote(quote({ status: 'sent' }), { outcome: 'declined', at, via: 'link', signedBy: null, reason: 'No', orderId: null }, 'quote-link').status).toBe('rejected');
  });
});

describe('the quote mail and page', () => {
  it('escape what users typed, and the page names no one', () => {
    const view = quoteView(quote({ status: 'sent' }));
    const mail = quoteMail(view, 'Buyer <AG>', 'Hi & welcome', 'https://api.example.com/quote-links/t');
    expect(mail.html).toContain('Buyer &#60;AG&#62;');
    expect(mail.html).toContain('Hi &#38; welcome');
    expect(mail.text).toContain('View it, and accept or decline it, here: https://api.example.com/quote-links/t');
    const html = quoteLinkPage(view, 'tok.en');
    expect(html).toContain('Seat &#38; &#60;b&#62;desk&#60;/b&#62;');
    expect(html).not.toContain('<b>desk');
    expect(html).toContain('action="tok.en/accept"');
    expect(html).not.toContain('<script');
  });

  it('show an answered quote without its forms', () => {
    const answered = quoteView(quote({ status: 'accepted', answer: { outcome: 'accepted', at: '2026-12-05T10:00:00.000Z', via: 'link', signedBy: 'Carla', reason: null, orderId: 'o1' } }));
    const html = quoteLinkPage(answered, 'tok.en');
    expect(html).toContain('You accepted this quote on 2026-12-05 (signed: Carla)');
    expect(html).not.toContain('<form');
  });
});
