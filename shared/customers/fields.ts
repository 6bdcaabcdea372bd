import * as z from 'zod/mini';
import { normalizeDomain, normalizeEmail, normalizePhone } from './contact-points';

/** Field schemas shared by customers and their contacts; values come out normalized. */

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const phone = z.pipe(
  z.string().check(z.maxLength(40)),
  z.transform((value, ctx) => {
    const normalized = normalizePhone(value);
    if (!normalized) {
      ctx.issues.push({ code: 'custom', message: 'Expected an international number with its country code, e.g. +49 30 1234567', input: value });
      return z.NEVER;
    }
    return normalized;
  }),
);

export const domain = z.pipe(
  z.string().check(z.maxLength(2048)),
  z.transform((value, ctx) => {
    const normalized = normalizeDomain(value);
    if (!normalized) {
      ctx.issues.push({ code: 'custom', message: 'Expected a web domain or website such as example.com', input: value });
      return z.NEVER;
    }
    return normalized;
  }),
);

export const email = z.pipe(z.email().check(z.maxLength(254)), z.transform(normalizeEmail));

/** A website as people type it (`acme.example`, `https://acme.example/about`), stored as an http(s) URL. */
export const website = z.pipe(
  z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
  z.transform((value, ctx) => {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
    try {
      const url = new URL(withScheme);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && normalizeDomain(url.hostname)) return url.toString();
    } catch {
      // reported below
    }
    ctx.issues.push({ code: 'custom', message: 'Expected a website such as https://example.com', input: value });
    return z.NEVER;
  }),
);

/** Topic names are slugs (`marketing`, `newsletter`); the value is opt-in (true) or opt-out (false). */
export const consentInput = z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/)), z.boolean());

export interface ConsentRecord {
  granted: boolean;
  at: string;
  source: string;
}

export function consentRecords(input: Record<string, boolean> | undefined, nowIso: string, existing: Record<string, ConsentRecord> = {}) {
  const records = { ...existing };
  for (const [topic, granted] of Object.entries(input ?? {})) {
    // An unchanged answer keeps its original time: consent evidence must not be rewritten.
    if (records[topic]?.granted !== granted) records[topic] = { granted, at: nowIso, source: 'api' };
  }
  return records;
}

