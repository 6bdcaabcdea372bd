import * as z from 'zod/mini';
import { consentTopic, type ConsentRecord } from '../customers/fields';
import type { FieldError } from '../errors';
import { optOut, UNSUBSCRIBE_SOURCE } from './consent-opt-out';

/**
 * The preference centre behind an unsubscribe link (docs/marketing.md, "Preference centre"), pure.
 * It lists every topic the recipient has a consent record for, and the link's topic, each with its
 * current state. Opting out is always allowed (it only ever sends less mail). Opting in through the
 * link is allowed only to undo an opt-out a link made (`source: unsubscribe-link`): the link proves
 * the mailbox, but consent the recipient never gave, or withdrew another way (told the company,
 * recorded through the API), needs evidence the link cannot give.
 */

export interface TopicPreference {
  topic: string;
  subscribed: boolean;
  /** Whether the page offers to subscribe (again): subscribed already, or an opt-out a link made. */
  canSubscribe: boolean;
}

/** At most this many topics on a page and in a form: a consent map is small; a form with more is not ours. */
export const MAX_PREFERENCE_TOPICS = 50;

/** The form the page posts: `<topic>=in|out` per topic shown. Fields not sent are left as they are. */
export const preferencesForm = z
  .record(consentTopic(), z.enum(['in', 'out'], 'Expected in or out'))
  .check(z.refine((choices) => Object.keys(choices).length <= MAX_PREFERENCE_TOPICS, `At most ${MAX_PREFERENCE_TOPICS} topics`));
export type PreferenceChoices = z.output<typeof preferencesForm>;

export const mayResubscribe = (record: ConsentRecord | undefined): boolean => record?.granted === false && record.source === UNSUBSCRIBE_SOURCE;

/** The link's topic first, then the others by name. */
export function topicPreferences(consent: Record<string, ConsentRecord>, linkTopic: string): TopicPreference[] {
  const topics = [linkTopic, ...Object.keys(consent).filter((t) => t !== linkTopic).sort()].slice(0, MAX_PREFERENCE_TOPICS);
  return topics.map((topic) => {
    const subscribed = consent[topic]?.granted === true;
    return { topic, subscribed, canSubscribe: subscribed || mayResubscribe(consent[topic]) };
  });
}

export type PreferenceChange = { topic: string; granted: boolean };

/**
 * The consent after the form's choices and what changed (nothing for an unchanged answer, which
 * keeps its first time and source), or field errors naming each topic the link may not subscribe to.
 */
export function applyPreferences(consent: Record<string, ConsentRecord>, choices: PreferenceChoices, nowIso: string): { consent: Record<string, ConsentRecord>; changes: PreferenceChange[] } | { errors: FieldError[] } {
  let after = consent;
  const changes: PreferenceChange[] = [];
  const errors: FieldError[] = [];
  for (const [topic, choice] of Object.entries(choices).sort(([a], [b]) => a.localeCompare(b))) {
    if (choice === 'out') {
      const next = optOut(after, topic, nowIso);
      if (next) {
        after = next;
        changes.push({ topic, granted: false });
      }
      continue;
    }
    if (after[topic]?.granted === true) continue;
    if (!mayResubscribe(after[topic])) {
      errors.push({ path: topic, message: 'This topic cannot be subscribed to through this link' });
      continue;
    }
    after = { ...after, [topic]: { granted: true, at: nowIso, source: UNSUBSCRIBE_SOURCE } };
    changes.push({ topic, granted: true });
  }
  return errors.length ? { errors } : { consent: after, changes };
}
