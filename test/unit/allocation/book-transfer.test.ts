import { describe, expect, it, vi } from 'vitest';
import { bookTransferRequestedV1 } from '../../../events/user-book-transfer-requested.v1';
import type { BookTransfer } from '../../../shared/allocation/book-transfer';
import { destinationOf } from '../../../shared/allocation/book-transfer';
import { type BookTransferDeps, runBookTransfer } from '../../../shared/allocation/book-transfer-use-case';
import type { OwnershipWrite } from '../../../shared/allocation/ownership-repository';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import { ValidationFailed } from '../../../shared/errors';

const NOW = '2026-12-07T09:00:00.000Z';
const TRANSFER: BookTransfer = {
  id: 'X1', fromUserId: 'rep-1', toUserId: 'rep-2', poolId: null, reason: null, status: 'running', moved: 0, skipped: 0, rounds: 0, cursor: null,
  requestedBy: { userId: 'admin-1', groups: ['admin'], teamId: null }, requestedAt: NOW, finishedAt: null, updatedAt: NOW,
};

/** An in-memory tenant: customers owned by rep-1, the hand-over's item, the events it commits. */
function tenant(count: number) {
  const customers = new Map<string, Customer>();
  for (let i = 0; i < count; i++) {
    const id = `C${String(i).padStart(3, '0')}`;
    customers.set(id, newCustomer(createCustomerInput.parse({ name: `Customer ${i}` }), { userId: 'rep-1', tenantId: 't1', groups: ['rep'] }, id, NOW));
  }
  let stored: BookTransfer = { ...TRANSFER };
  const continued: unknown[] = [];
  const commits: string[] = [];
  let failProgressOnce = false;
  const deps: BookTransferDeps = {
    transfers: {
      get: async () => stored,
      start: async () => true,
      progress: async (_t, transfer, event) => {
        if (failProgressOnce) {
          failProgressOnce = false;
          throw new Error('the invocation died');
        }
        stored = transfer;
        if (event) continued.push(event);
      },
      ownedPage: async (_t, userId, limit, startKey) => {
        const owned = [...customers.values()].filter((c) => c.ownerId === userId).map((c) => c.id).sort();
        const from = startKey ? owned.findIndex((id) => id > String(startKey.id)) : 0;
        const page = from < 0 ? [] : owned.slice(from, from + limit);
        const more = from >= 0 && from + limit < owned.length;
        return { customerIds: page, ...(more ? { next: { id: page[page.length - 1] } } : {}) };
      },
    },
    users: { get: async () => ({ teamId: null, status: 'active' as const }) },
    pools: { get: async () => undefined },
    ownership: {
      customers: { get: async (_t, id) => customers.get(id) },
      ownership: {
        tableName: 'crm',
        book: async () => ({ deals: [], tasks: [] }),
        counts: async () => ({ owned: 0, locked: 0, claimedToday: 0 }),
        commit: vi.fn(async (write: OwnershipWrite) => {
          const current = customers.get(write.after.id)!;
          if (current.version !== write.before.version) return { ok: false as const, refused: 'profile' as const, current };
          customers.set(write.after.id, write.after);
          commits.push(write.after.id);
          return { ok: true as const };
        }),
      },
      directory: { pool: async () => undefined, pools: async () => [], teamOf: async () => null, member: async () => ({ teamId: null }) },
    },
  };
  const requested = { id: 'E1', 'detail-type': bookTransferRequestedV1.detailType, source: 'crm', time: NOW, detail: { id: 'E1', type: bookTransferRequestedV1.detailType, occurredAt: NOW, tenantId: 't1', actor: { type: 'user', id: 'admin-1' }, correlationId: 'r1', data: { transferId: 'X1', fromUserId: 'rep-1', toUserId: 'rep-2', poolId: null } } };
  return { customers, deps, continued, commits, requested, stored: () => stored, failNextProgress: () => void (failProgressOnce = true) };
}

describe('a book hand-over', () => {
  it('names exactly one destination, not the user themself', () => {
    expect(() => destinationOf({}, 'rep-1')).toThrow(ValidationFailed);
    expect(() => destinationOf({ toUserId: 'rep-2', poolId: '01JD0000000000000000000000' }, 'rep-1')).toThrow(ValidationFailed);
    expect(() => destinationOf({ toUserId: 'rep-1' }, 'rep-1')).toThrow(ValidationFailed);
    expect(destinationOf({ toUserId: 'rep-2' }, 'rep-1')).toEqual({ toUserId: 'rep-2' });
  });

  it('runs low on time after a page, commits its progress with a continuation, and goes on from there in the next invocation', async () => {
    const t = tenant(30);
    await runBookTransfer(t.deps, t.requested, () => 10_000);
    expect(t.stored()).toMatchObject({ status: 'running', moved: 25, rounds: 1 });
    expect(t.continued).toHaveLength(1);
    const next = t.continued[0] as { detailType: string; detail: Record<string, unknown> };
    await runBookTransfer(t.deps, { id: 'E2', 'detail-type': next.detailType, source: 'crm', time: NOW, detail: next.detail }, () => 10_000);
    expect(t.stored()).toMatchObject({ status: 'done', moved: 30, skipped: 0, rounds: 2 });
    expect(new Set(t.commits).size).toBe(30);
    expect(t.commits).toHaveLength(30);
    expect([...t.customers.values()].every((c) => c.ownerId === 'rep-2')).toBe(true);
  });

  it('moves each customer once when an invocation dies after its moves and the event is delivered again', async () => {
    const t = tenant(30);
    t.failNextProgress();
    await expect(runBookTransfer(t.deps, t.requested, () => 600_000)).rejects.toThrow('died');
    await runBookTransfer(t.deps, t.requested, () => 600_000);
    expect(t.stored()).toMatchObject({ status: 'done' });
    expect(t.commits).toHaveLength(30);
    expect(new Set(t.commits).size).toBe(30);
  });

  it('ignores an event of a hand-over that is done or was replaced', async () => {
    const t = tenant(3);
    await runBookTransfer(t.deps, t.requested, () => 600_000);
    const commits = t.commits.length;
    await runBookTransfer(t.deps, t.requested, () => 600_000);
    expect(t.commits).toHaveLength(commits);
  });
});
