import type { ConsentRecord } from '../customers/fields';

/** A consent topic's name (`marketing`, `newsletter`...): the one rule for every API and token that names a topic. */
export const CONSENT_TOPIC = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Whether the customer (or contact) opted in to the topic. Its own module, free of the input
 * schemas, so the senders that check it per mail do not load them.
 */
export function hasConsent(customer: { consent: Record<string, Pick<ConsentRecord, 'granted'>> }, topic: string): boolean {
  return customer.consent[topic]?.granted === true;
}
