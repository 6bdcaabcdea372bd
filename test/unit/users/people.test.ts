import { afterEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../shared/clock';
import { PEOPLE_TTL_MS, PeopleCache } from '../../../shared/users/people';
import type { Person } from '../../../shared/users/user-repository';

let now = 1_000_000;
installTimeSource(() => now);
afterEach(() => void (now = 1_000_000));

function directory(initial: Person[]) {
  const state = { people: initial, loads: 0 };
  const cache = new PeopleCache(async () => {
    state.loads++;
    return [...state.people];
  });
  return { state, cache };
}

const ana: Person = { userId: 'u-ana', name: 'Ana', active: true };
const bo: Person = { userId: 'u-bo', name: 'Bo', active: true };

describe("a container's copy of the directory", () => {
  it('reads a tenant once and answers from the copy until it is 30 seconds old', async () => {
    const { state, cache } = directory([ana]);
    await cache.lookup('t1', ['u-ana']);
    await cache.lookup('t1', ['u-ana']);
    expect(state.loads).toBe(1);
    state.people = [{ ...ana, active: false }];
    now += PEOPLE_TTL_MS - 1;
    expect((await cache.lookup('t1', ['u-ana'])).get('u-ana')?.active).toBe(true);
    now += 1;
    expect((await cache.lookup('t1', ['u-ana'])).get('u-ana')?.active).toBe(false);
    expect(state.loads).toBe(2);
  });

  it('reads again for an id it lacks (a user invited a moment ago), and only once for an id nobody has', async () => {
    const { state, cache } = directory([ana]);
    await cache.lookup('t1', ['u-ana']);
    state.people = [ana, bo];
    expect((await cache.lookup('t1', ['u-bo'])).get('u-bo')?.name).toBe('Bo');
    expect(state.loads).toBe(2);
    await cache.lookup('t1', ['system']);
    await cache.lookup('t1', ['system', 'u-ana']);
    expect(state.loads).toBe(3);
  });

  it('shares one read among concurrent requests and keeps tenants apart', async () => {
    const { state, cache } = directory([ana]);
    await Promise.all([cache.lookup('t1', ['u-ana']), cache.lookup('t1', ['u-ana']), cache.lookup('t1', ['u-ana'])]);
    expect(state.loads).toBe(1);
    await cache.lookup('t2', ['u-ana']);
    expect(state.loads).toBe(2);
  });
});

describe('renewing for unknown ids', () => {
  it('keeps the ids known to be absent when another unknown id renews the copy, and forgets them when it expires', async () => {
    const { state, cache } = directory([ana]);
    await cache.lookup('t1', ['ghost-1']);
    await cache.lookup('t1', ['ghost-2']);
    expect(state.loads).toBe(2);
    await cache.lookup('t1', ['ghost-1', 'ghost-2', 'u-ana']);
    expect(state.loads).toBe(2);
    // Expired: one fresh read, which finds ghost-1 absent again (not a second read for it).
    now += PEOPLE_TTL_MS;
    await cache.lookup('t1', ['ghost-1']);
    await cache.lookup('t1', ['ghost-1']);
    expect(state.loads).toBe(3);
    state.people = [ana, { userId: 'ghost-2', name: 'Now real', active: true }];
    expect((await cache.lookup('t1', ['ghost-2'])).get('ghost-2')?.name).toBe('Now real');
    expect(state.loads).toBe(4);
  });
});
