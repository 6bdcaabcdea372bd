import { describe, expect, it, vi } from 'vitest';
import { keys } from '../../../shared/keys';
import { type DueEntry, type DueRegistry, dueUpTo, leasedSortKey, MAX_DUE_ATTEMPTS, parseDueSortKey, toDueEntry } from '../../../shared/automations/marketing-due';
import { runDueMarketing } from '../../../shared/automations/marketing-due-use-case';

// The use cases log every skip and failure; the assertions here are on what they return.
vi.stubEnv('CRM_LOG_LEVEL', 'silent');

const NOW = '2027-01-01T10:00:00.000Z';

describe('the marketing-due sort key', () => {
  it('splits into due time, tenant, kind and an id that may hold #', () => {
    const { GSI2SK } = keys.marketingDue('2027-01-01T09:00:00.000Z', 't1', 'automation-send', 'A1#E1');
    expect(parseDueSortKey(GSI2SK)).toEqual({ dueAt: '2027-01-01T09:00:00.000Z', tenantId: 't1', kind: 'automation-send', id: 'A1#E1' });
    expect(parseDueSortKey('not-a-time#t1#k#id')).toBeUndefined();
    expect(parseDueSortKey('2027-01-01T09:00:00.000Z#t1#k')).toBeUndefined();
  });

  it('includes entries due exactly now in a due Query and excludes later ones', () => {
    const at = (dueAt: string) => keys.marketingDue(dueAt, 't1', 'k', 'x').GSI2SK;
    expect(at(NOW) <= dueUpTo(NOW)).toBe(true);
    expect(at('2027-01-01T09:59:59.999Z') <= dueUpTo(NOW)).toBe(true);
    expect(at('2027-01-01T10:00:00.001Z') <= dueUpTo(NOW)).toBe(false);
  });

  it('leases an entry by moving it to the end of the lease, same tenant, kind and id', () => {
    expect(leasedSortKey({ tenantId: 't1', kind: 'k', id: 'x#y' }, NOW, 300)).toBe('2027-01-01T10:05:00.000Z#t1#k#x#y');
  });

  it('reads an index item as an entry, or nothing for a sort key that is not ours', () => {
    const item = { PK: 'P', SK: 'S', GSI2SK: keys.marketingDue(NOW, 't1', 'k', 'x').GSI2SK, dueAttempts: 2, other: 1 };
    expect(toDueEntry(item)).toEqual({ PK: 'P', SK: 'S', sortKey: item.GSI2SK, dueAt: NOW, tenantId: 't1', kind: 'k', id: 'x', attempts: 2, item });
    expect(toDueEntry({ PK: 'P', SK: 'S', GSI2SK: 'garbage' })).toBeUndefined();
  });
});

const entry = (id: string, kind = 'test-kind', attempts = 0): DueEntry => ({
  PK: `PK#${id}`, SK: 'SK', sortKey: keys.marketingDue('2027-01-01T09:00:00.000Z', 't1', kind, id).GSI2SK, dueAt: '2027-01-01T09:00:00.000Z', tenantId: 't1', kind, id, attempts, item: {},
});

/** An index of entries in memory: claims move the sort key, as the conditional Update does. */
function dueIndex(entries: DueEntry[], options: { takenBy?: Set<string> } = {}) {
  const held = new Map(entries.map((e) => [e.id, { sortKey: e.sortKey, attempts: e.attempts, removed: null as string | null }]));
  const repo = {
    due: vi.fn(async (_now: string, limit: number, startKey?: Record<string, unknown>) => {
      const from = Number(startKey?.index ?? 0);
      const page = entries.slice(from, from + limit);
      return { entries: page, skipped: 0, next: from + limit < entries.length ? { index: from + limit } : undefined };
    }),
    claim: vi.fn(async (e: DueEntry, leased: string) => {
      const state = held.get(e.id)!;
      if (options.takenBy?.has(e.id) || state.sortKey !== e.sortKey) return undefined;
      state.sortKey = leased;
      state.attempts += 1;
      return state.attempts;
    }),
    finish: vi.fn(async (e: Pick<DueEntry, 'PK'>, leased: string, outcome: string) => {
      const state = [...held.entries()].find(([id]) => `PK#${id}` === e.PK)![1];
      if (state.sortKey !== leased) return false;
      state.removed = outcome;
      return true;
    }),
  };
  return { repo, held };
}

const far = () => Date.now() + 60_000;

describe('runDueMarketing', () => {
  it('claims each due entry, hands it to its kind, and takes it off the index unless the handler did', async () => {
    const { repo, held } = dueIndex([entry('a'), entry('b'), entry('c', 'self-removing')]);
    const registry: DueRegistry = {
      'test-kind': vi.fn(async (e: DueEntry) => ({ outcome: e.id === 'a' ? 'done' : 'skipped' })),
      'self-removing': vi.fn(async () => ({ outcome: 'sent', removed: true })),
    };
    const report = await runDueMarketing({ due: repo, nowIso: () => NOW }, registry, { stopBy: far() });

    expect(report).toMatchObject({ now: NOW, read: 3, outcomes: { done: 1, skipped: 1, sent: 1 }, taken: 0, failed: 0, gaveUp: 0, unknown: 0, more: false });
    expect(held.get('a')?.removed).toBe('done');
    expect(held.get('b')?.removed).toBe('skipped');
    expect(held.get('c')?.removed).toBeNull();
    expect(registry['test-kind']).toHaveBeenCalledWith(expect.objectContaining({ id: 'a', attempts: 1 }), { nowIso: NOW, leasedSortKey: '2027-01-01T10:05:00.000Z#t1#test-kind#a' });
    expect(repo.due).toHaveBeenCalledWith(NOW, 100, undefined);
  });

  it('skips an entry another run holds, and leaves a failed one on the index for when its lease ends', async () => {
    const { repo, held } = dueIndex([entry('a'), entry('b')], { takenBy: new Set(['a']) });
    const registry: DueRegistry = { 'test-kind': async () => { throw new Error('SES down'); } };
    const report = await runDueMarketing({ due: repo, nowIso: () => NOW }, registry, { stopBy: far() });

    expect(report).toMatchObject({ taken: 1, failed: 1, outcomes: {} });
    expect(held.get('b')).toMatchObject({ sortKey: '2027-01-01T10:05:00.000Z#t1#test-kind#b', attempts: 1, removed: null });
  });

  it(`gives up on an entry claimed more than ${MAX_DUE_ATTEMPTS} times, and moves one of a kind it does not know out of the way`, async () => {
    const { repo, held } = dueIndex([entry('poison', 'test-kind', MAX_DUE_ATTEMPTS), entry('x', 'campaign-start')]);
    const handler = vi.fn(async () => ({ outcome: 'done' }));
    const report = await runDueMarketing({ due: repo, nowIso: () => NOW }, { 'test-kind': handler }, { stopBy: far() });

    expect(report).toMatchObject({ gaveUp: 1, unknown: 1 });
    expect(handler).not.toHaveBeenCalled();
    expect(held.get('poison')?.removed).toBe('gave-up');
    expect(held.get('x')).toMatchObject({ sortKey: '2027-01-01T10:05:00.000Z#t1#campaign-start#x', attempts: 1, removed: null });
  });

  it('reads in pages and stops at the run bound, reporting that more is due', async () => {
    const { repo } = dueIndex(Array.from({ length: 7 }, (_, i) => entry(`e${i}`)));
    const handler = vi.fn(async () => ({ outcome: 'done' }));
    const report = await runDueMarketing({ due: repo, nowIso: () => NOW }, { 'test-kind': handler }, { stopBy: far(), pageSize: 3, maxEntries: 5, concurrency: 2 });

    expect(report).toMatchObject({ read: 5, more: true, outcomes: { done: 5 } });
    expect(repo.due.mock.calls.map((c) => c[1])).toEqual([3, 2]);
  });

  it('claims nothing once past stopBy', async () => {
    const { repo } = dueIndex([entry('a')]);
    const handler = vi.fn(async () => ({ outcome: 'done' }));
    const report = await runDueMarketing({ due: repo, nowIso: () => NOW }, { 'test-kind': handler }, { stopBy: Date.now() - 1 });
    expect(report).toMatchObject({ read: 0, more: true });
    expect(handler).not.toHaveBeenCalled();
  });
});
