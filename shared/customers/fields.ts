import * as z from 'zod/mini';
import { normalizeDomain, normalizeEmail, normalizePhone, normalizeWebsite } from './contact-points';
import { CONSENT_TOPIC } from '../consent/consent-check';

/** Field schemas shared by customers and their contacts; values come out normalized. */

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * A string that is stored in a normal form: `normalize` returns undefined for a value it cannot
 * read, which becomes a field error carrying `message` (the client sees how to write it).
 */
const normalized = (maxLength: number, normalize: (value: string) => string | undefined, message: string) =>
  z.pipe(
    z.string().check(z.maxLength(maxLength)),
    z.transform((value, ctx) => {
      const result = normalize(value);
      if (result !== undefined) return result;
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    }),
  );

export const phone = normalized(40, normalizePhone, 'Expected an international number with its country code, e.g. +49 30 1234567');

export const domain = normalized(2048, normalizeDomain, 'Expected a web domain or website such as example.com');

export const email = z.pipe(z.email().check(z.maxLength(254)), z.transform(normalizeEmail));

/** A website as people type it (`acme.example`, `https://acme.example/about`), stored as an http(s) URL. */
export const website = normalized(2048, normalizeWebsite, 'Expected a website such as https://example.com');

/** Topic names are slugs (`marketing`, `newsletter`); the value is opt-in (true) or opt-out (false). */
/** A consent topic named in a request (CONSENT_TOPIC). */
export const consentTopic = () => z.string().check(z.regex(CONSENT_TOPIC, 'Expected a consent topic: lowercase letters, digits and -, starting with a letter'));
export const consentInput = z.record(consentTopic(), z.boolean());

export interface ConsentRecord {
  granted: boolean;
  at: string;
  source: string;
  /**
   * What the person saw and where, for consent captured at the source (a form, `POST /leads`):
   * a regulator asks for the wording, not only the answer (shared/consent/consent-capture.ts).
   */
  evidence?: ConsentEvidence;
  /** The lead whose record this is, for consent a conversion carried over (time and evidence kept). */
  convertedFromLead?: string;
  /** Granted through the tenant's double opt-in: when the confirmation was asked for (`at` is when the link was followed). */
  requestedAt?: string;
}

export interface ConsentEvidence {
  /** The consent wording shown next to the checkbox. */
  text: string;
  /** The page the form was on, as the submission named it. */
  pageUrl: string | null;
  formId: string | null;
}

export function consentRecords(input: Record<string, boolean> | undefined, nowIso: string, existing: Record<string, ConsentRecord> = {}) {
  const records = { ...existing };
  for (const [topic, granted] of Object.entries(input ?? {})) {
    // An unchanged answer keeps its original time: consent evidence must not be rewritten.
    if (records[topic]?.granted !== granted) records[topic] = { granted, at: nowIso, source: 'api' };
  }
  return records;
}

