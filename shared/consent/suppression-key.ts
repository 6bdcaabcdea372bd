import { createHash } from 'node:crypto';
import { normalizeEmail } from '../customers/contact-points';

/**
 * How a suppressed address is keyed and looked up: the SHA-256 of the normalized address (the key
 * outlives the address, docs/privacy.md). Its own module, free of the API's schemas, so senders
 * that check suppression load only this and the repository.
 */
export function addressHash(address: string): string {
  return createHash('sha256').update(normalizeEmail(address)).digest('hex');
}
