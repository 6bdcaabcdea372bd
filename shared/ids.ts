import { monotonicFactory } from 'ulid';
import { clock } from './clock';

const nextUlid = monotonicFactory();

/** ULIDs sort by creation time (on the controllable clock), so SK ranges read newest-first. */
export function newId(): string {
  return nextUlid(clock.nowMs());
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
