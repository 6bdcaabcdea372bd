import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from './id-formats';

/**
 * `<base64url JSON>.<base64url HMAC-SHA256>`: the links the CRM mails (unsubscribe, survey) carry
 * their claims signed with the stage's link secret, so a public route trusts them without a lookup.
 * Each kind of link signs with its own key (`keyLabel`), so one kind never passes as another.
 */

/** The signing key of one kind of link: the secret itself, or a key derived from it under a label. */
function keyOf(secret: string, keyLabel: string | undefined): string | Buffer {
  if (secret.length < 32) throw new Error('The link secret must have at least 32 characters');
  return keyLabel === undefined ? secret : createHmac('sha256', secret).update(keyLabel).digest();
}

const signature = (payload: string, key: string | Buffer) => createHmac('sha256', key).update(payload).digest('base64url');

export function signToken(fields: Record<string, unknown>, secret: string, keyLabel?: string): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${signature(payload, keyOf(secret, keyLabel))}`;
}

/** The fields of a token signed with this key, or undefined for anything else (tampered, foreign, too long, not JSON). */
export function openToken(token: unknown, secret: string, keyLabel?: string): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return undefined;
  const [payload, given, ...rest] = token.split('.');
  if (!payload || !given || rest.length) return undefined;
  const expected = Buffer.from(signature(payload, keyOf(secret, keyLabel)), 'base64url');
  const actual = Buffer.from(given, 'base64url');
  // Constant time, so the signature cannot be guessed byte by byte from response times.
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  try {
    const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
