import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../../shared/customers/fields';
import { applyPreferences, mayResubscribe, preferencesForm, topicPreferences } from '../../../shared/consent/preference-centre';

const NOW = '2026-12-07T10:00:00.000Z';
const THEN = '2026-01-01T00:00:00.000Z';
const granted: ConsentRecord = { granted: true, at: THEN, source: 'api' };
const outByLink: ConsentRecord = { granted: false, at: THEN, source: 'unsubscribe-link' };
const outByApi: ConsentRecord = { granted: false, at: THEN, source: 'api' };

describe('preference centre', () => {
  it("lists the link's topic first, then every topic on record by name, each with its state and whether it may be subscribed to", () => {
    expect(topicPreferences({ newsletter: outByLink, events: outByApi, marketing: granted }, 'newsletter')).toEqual([
      { topic: 'newsletter', subscribed: false, canSubscribe: true },
      { topic: 'events', subscribed: false, canSubscribe: false },
      { topic: 'marketing', subscribed: true, canSubscribe: true },
    ]);
    // A link's topic with no record yet (the mail went out under it all the same): shown, not subscribable.
    expect(topicPreferences({}, 'marketing')).toEqual([{ topic: 'marketing', subscribed: false, canSubscribe: false }]);
  });

  it('gives back only what a link took: an opt-out through the API or a topic never granted needs other evidence', () => {
    expect(mayResubscribe(outByLink)).toBe(true);
    expect(mayResubscribe(outByApi)).toBe(false);
    expect(mayResubscribe(undefined)).toBe(false);
    expect(mayResubscribe(granted)).toBe(false);
  });

  it('applies outs and allowed ins as evidence from the link, keeping unchanged answers as first recorded', () => {
    const result = applyPreferences({ marketing: granted, newsletter: outByLink, events: outByApi }, { marketing: 'out', newsletter: 'in', events: 'out' }, NOW);
    expect(result).toEqual({
      consent: {
        marketing: { granted: false, at: NOW, source: 'unsubscribe-link' },
        newsletter: { granted: true, at: NOW, source: 'unsubscribe-link' },
        events: outByApi,
      },
      changes: [
        { topic: 'marketing', granted: false },
        { topic: 'newsletter', granted: true },
      ],
    });
    expect(applyPreferences({ marketing: granted }, { marketing: 'in' }, NOW)).toEqual({ consent: { marketing: granted }, changes: [] });
    // Out of a topic never on record: less mail is always allowed.
    expect(applyPreferences({}, { surveys: 'out' }, NOW)).toMatchObject({ changes: [{ topic: 'surveys', granted: false }] });
  });

  it('refuses every subscribe the link may not give, naming each topic, and changes nothing then', () => {
    expect(applyPreferences({ marketing: granted, events: outByApi }, { marketing: 'out', events: 'in', surveys: 'in' }, NOW)).toEqual({
      errors: [
        { path: 'events', message: expect.stringContaining('cannot be subscribed') },
        { path: 'surveys', message: expect.stringContaining('cannot be subscribed') },
      ],
    });
  });

  it('reads the form: topics as fields with in or out; anything else is refused', () => {
    expect(preferencesForm.safeParse({ marketing: 'out', newsletter: 'in' }).success).toBe(true);
    expect(preferencesForm.safeParse({}).success).toBe(true);
    expect(preferencesForm.safeParse({ marketing: 'yes' }).success).toBe(false);
    expect(preferencesForm.safeParse({ 'Not A Topic': 'out' }).success).toBe(false);
    expect(preferencesForm.safeParse(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'out']))).success).toBe(false);
  });
});
