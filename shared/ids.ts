import { monotonicFactory } from 'ulid';
import { clock } from './clock';

const nextUlid = monotonicFactory();

/** ULIDs sort by creation time (on the controllable clock), so SK ranges read newest-first. */
export function newId(): string {
  return nextUlid(clock.nowMs());
}

export { ULID_PATTERN } from './id-formats';
