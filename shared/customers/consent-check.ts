import type { ConsentRecord } from './fields';

/**
 * Whether the customer (or contact) opted in to the topic. Its own module, free of the input
 * schemas, so the senders that check it per mail do not load them.
 */
export function hasConsent(customer: { consent: Record<string, Pick<ConsentRecord, 'granted'>> }, topic: string): boolean {
  return customer.consent[topic]?.granted === true;
}
