import { describe, expect, it } from 'vitest';
import { formKey, parseFormKey, rateWindow, trippedHoneypot } from '../../../shared/forms/form';
import { createLeadInput, type Lead, matchCandidates, newLead } from '../../../shared/leads/lead';
import { disqualify, qualifyByRep, qualifyByScore } from '../../../shared/leads/lead-qualification';
import type { ScoringConfig } from '../../../shared/leads/lead-scoring';

const NOW = '2026-11-23T12:00:00.000Z';
const base = (): Lead => newLead({ email: 'ada@acme.example' }, { id: 'L1', tenantId: 't', channel: 'api', formId: null, actorId: 'u', nowIso: NOW, defaultSource: null });
const config: ScoringConfig = { fit: [], engagement: [], thresholds: { mql: 40, sql: 70 } };

describe('lead input and matching', () => {
  it('needs an email or a phone, naming email', () => {
    const result = createLeadInput.safeParse({ name: 'Ada' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['email']);
  });

  it('matches on email, phone, the given domain and the email domain unless free mail', () => {
    expect(matchCandidates({ email: 'ada@acme.example', phone: '+4930123456', domain: 'other.example' })).toEqual([
      { field: 'email', value: 'ada@acme.example' },
      { field: 'phone', value: '+4930123456' },
      { field: 'domain', value: 'other.example' },
      { field: 'domain', value: 'acme.example' },
    ]);
    expect(matchCandidates({ email: 'ada@gmail.com', phone: null, domain: null })).toEqual([{ field: 'email', value: 'ada@gmail.com' }]);
  });
});

describe('qualification', () => {
  it('reaches every level the score crosses, once', () => {
    const first = qualifyByScore(base(), config, 75, NOW);
    expect(first.reached).toEqual(['mql', 'sql']);
    expect(first.lead).toMatchObject({ status: 'sql', qualifiedLevel: 'sql', qualification: { by: 'score' } });
    expect(qualifyByScore(first.lead, config, 90, NOW).reached).toEqual([]);
  });

  it('never moves a lead down, and leaves a disqualified lead alone', () => {
    const mql = qualifyByScore(base(), config, 50, NOW).lead;
    expect(qualifyByScore(mql, config, 10, NOW).lead.status).toBe('mql');
    const out = disqualify(base(), false, 'rep', 'Competitor', NOW);
    expect(qualifyByScore(out, config, 99, NOW).reached).toEqual([]);
  });

  it('lets a nurtured lead come back by score', () => {
    const nurtured = disqualify(base(), true, 'rep', 'Not ready', NOW);
    expect(nurtured.status).toBe('nurture');
    expect(qualifyByScore(nurtured, config, 45, NOW).lead.status).toBe('mql');
  });

  it('lets a rep qualify up to a level, passing MQL on the way to SQL', () => {
    const result = qualifyByRep(base(), 'sql', 'rep-1', 'Budget confirmed', NOW);
    expect(result.reached).toEqual(['mql', 'sql']);
    expect(result.lead).toMatchObject({ status: 'sql', qualification: { by: 'rep', userId: 'rep-1', reason: 'Budget confirmed' }, version: 2 });
  });
});

describe('forms', () => {
  it('round-trips a form key and rejects anything else', () => {
    const key = formKey({ tenantId: 'acme', secret: 'A'.repeat(32) });
    expect(parseFormKey(key)).toEqual({ tenantId: 'acme', secret: 'A'.repeat(32) });
    expect(parseFormKey('acme.short')).toBeUndefined();
    expect(parseFormKey('no-dot')).toBeUndefined();
    expect(parseFormKey(`a#b.${'A'.repeat(32)}`)).toBeUndefined();
  });

  it('trips the honeypot on any non-empty value', () => {
    expect(trippedHoneypot({ website_url: 'http://spam' }, 'website_url')).toBe(true);
    expect(trippedHoneypot({ website_url: '' }, 'website_url')).toBe(false);
    expect(trippedHoneypot({}, 'website_url')).toBe(false);
  });

  it('windows by UTC minute', () => {
    expect(rateWindow(Date.parse('2026-11-23T12:00:45.000Z'))).toMatchObject({ window: '2026-11-23T12:00', retryAfterSeconds: 15 });
  });
});
