import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { clock } from './clock';

const nextUlid = monotonicFactory();

/** ULIDs sort by creation time (on the controllable clock), so SK ranges read newest-first. */
export function newId(): string {
  return nextUlid(clock.nowMs());
}

export { ULID_PATTERN } from './id-formats';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID that is always the same for the same parts: `seed`'s time (its first 10 characters) and
 * 80 bits of a SHA-256 of the parts. An import names each row's customer, history entry and
 * event so, and a resumed batch finds what an earlier attempt wrote instead of writing it again.
 */
export function derivedId(seed: string, ...parts: (string | number)[]): string {
  const digest = createHash('sha256').update([seed, ...parts].join('\u0000')).digest();
  let random = '';
  for (let i = 0; i < 16; i++) {
    // 16 characters of 5 bits each, read from the digest's first 80 bits.
    const bit = i * 5;
    const value = ((digest.readUInt16BE(Math.floor(bit / 8)) >> (11 - (bit % 8))) & 0x1f);
    random += CROCKFORD[value];
  }
  return `${seed.slice(0, 10)}${random}`;
}
