import type { ConsentRecord } from '../customers/fields';

/** The consent source an opt-out through a mail's link (page or one-click) is recorded with. */
export const UNSUBSCRIBE_SOURCE = 'unsubscribe-link';

/**
 * The consent map after an opt-out from `topic`, or undefined when the topic is already opted out:
 * a repeat (a second click, a mail client retrying the one-click POST) changes nothing, so the
 * evidence keeps the first opt-out's time and source and the timeline gets one entry.
 */
export function optOut(consent: Record<string, ConsentRecord>, topic: string, nowIso: string, source = UNSUBSCRIBE_SOURCE): Record<string, ConsentRecord> | undefined {
  if (consent[topic]?.granted === false) return undefined;
  return { ...consent, [topic]: { granted: false, at: nowIso, source } };
}
