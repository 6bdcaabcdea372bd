import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Agent, RoutingPolicy } from '../../../shared/agents/agent';
import { DEFAULT_ROUTING_POLICY } from '../../../shared/agents/agent';
import { type NamedItem, TransactionConditionFailed } from '../../../shared/aws/transact-write';
import type { Case } from '../../../shared/cases/case';
import type { CaseEvent, CaseWriteOutcome } from '../../../shared/cases/case-repository';
import { onRoutingEvent, type RoutingDeps, routeCase } from '../../../shared/cases/routing-use-cases';

/**
 * The routing use cases over an in-memory table: the case's version and the agent's conditions
 * (available, below capacity, count as read) are checked as the transaction would, so lost races
 * and their retries can be played out exactly.
 */
function world(agentList: Partial<Agent>[], policy: RoutingPolicy = DEFAULT_ROUTING_POLICY) {
  const cases = new Map<string, Case>();
  const loads = new Map<string, Set<string>>();
  const agents = new Map<string, Agent>();
  for (const a of agentList) {
    agents.set(a.userId!, {
      tenantId: 't', presence: 'available', skills: { categories: [], languages: [] }, capacity: 2, load: 0, assignedCount: 0, lastAssignedAt: null,
      presenceChangedAt: '', updatedAt: '', updatedBy: '', ...a,
    } as Agent);
  }
  const events: CaseEvent[] = [];
  /** Runs before the transaction is checked: a competitor's write in between. */
  let interleave: (() => void) | undefined;
  const withLoad = (a: Agent): Agent => ({ ...a, load: loads.get(a.userId)?.size ?? 0 });
  const failed = (name: string) => new TransactionConditionFailed(new Set(['case', 'agent', name]), [{ name }], new TransactionCanceledException({ message: 'cancelled', $metadata: {} }));

  const deps: RoutingDeps = {
    cases: {
      get: async (_t, id) => (cases.has(id) ? { case: cases.get(id)!, messages: [] } : undefined),
      list: async (_t, assigneeId, _g, status) => ({ items: [...cases.values()].filter((c) => c.assigneeId === assigneeId && (!status || c.status === status)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)), cursor: null }),
      change: async (after: Case, expected: number, _m: unknown, evs: CaseEvent[], extra: NamedItem[] = []): Promise<CaseWriteOutcome> => {
        const run = interleave;
        interleave = undefined;
        run?.();
        if (cases.get(after.id)!.version !== expected) return { outcome: 'stale', current: cases.get(after.id)! };
        for (const item of extra.filter((i) => i.name === 'agent')) {
          const { userId, seen } = item.update!.ExpressionAttributeValues as unknown as { userId: string; seen: number };
          const a = withLoad(agents.get(userId)!);
          if (a.presence !== 'available' || a.load >= a.capacity || a.assignedCount !== seen) throw failed('agent');
        }
        for (const item of extra) {
          const { userId, caseId, action } = item.update!.ExpressionAttributeValues as unknown as { userId: string; caseId: string; action: string };
          const set = loads.get(userId) ?? new Set<string>();
          if (action === 'DELETE') set.delete(caseId);
          else set.add(caseId);
          loads.set(userId, set);
          if (item.name === 'agent') agents.get(userId)!.assignedCount++;
        }
        cases.set(after.id, after);
        events.push(...evs);
        return { outcome: 'written' };
      },
    },
    agents: {
      roster: async () => ({ agents: [...agents.values()].map(withLoad), policy }),
      get: async (_t, userId) => (agents.has(userId) ? { ...withLoad(agents.get(userId)!), version: 1 } : undefined),
      // The fake reads its own values back: who, which case, what action, the count as read.
      assignItem: (_t, agent, caseId) => ({ name: 'agent', update: { TableName: 'x', Key: {}, UpdateExpression: '', ExpressionAttributeValues: { userId: agent.userId, seen: agent.assignedCount, caseId, action: 'ADD' } } }),
      casesOfCustomer: async (_t, customerId) => [...cases.values()].filter((c) => c.customerId === customerId).map((c) => ({ id: c.id, assigneeId: c.assigneeId, status: c.status })),
      releaseClosed: async (_t, userId, ids) => {
        for (const id of ids) loads.get(userId)?.delete(id);
      },
      loadItems: (_t, caseId, change) => [
        ...(change.remove ? [{ name: 'load-remove', update: { TableName: 'x', Key: {}, UpdateExpression: '', ExpressionAttributeValues: { userId: change.remove, caseId, action: 'DELETE' } } }] : []),
        ...(change.add ? [{ name: 'load-add', update: { TableName: 'x', Key: {}, UpdateExpression: '', ExpressionAttributeValues: { userId: change.add, caseId, action: 'ADD' } } }] : []),
      ],
    },
  };
  const addCase = (id: string, over: Partial<Case> = {}) => {
    const c = { id, tenantId: 't', customerId: 'c', category: 'general', language: null, status: 'new', assigneeId: null, version: 1, createdAt: `2026-12-07T09:00:0${cases.size}.000Z`, ...over } as Case;
    cases.set(id, c);
    if (c.assigneeId && ['new', 'open', 'pending-customer'].includes(c.status)) loads.set(c.assigneeId, new Set([...(loads.get(c.assigneeId) ?? []), id]));
    return c;
  };
  return { deps, cases, agents, loads, events, addCase, setInterleave: (f: () => void) => (interleave = f) };
}

const bus = (detailType: string, data: Record<string, unknown>) => ({
  id: 'e',
  'detail-type': detailType,
  source: 'crm',
  time: '2026-12-07T09:00:00Z',
  detail: { id: '01JD0000000000000000000099', type: detailType, occurredAt: '2026-12-07T09:00:00.000Z', tenantId: 't', actor: { type: 'user', id: 'u' }, correlationId: 'c', data },
});

describe('routeCase', () => {
  it('gives a queued case to the picked agent with a status change by the router; a case not queued is left alone', async () => {
    const w = world([{ userId: 'a' }]);
    w.addCase('k1');
    expect(await routeCase(w.deps, 't', 'k1', 'c')).toEqual({ outcome: 'assigned', agentId: 'a' });
    expect(w.cases.get('k1')).toMatchObject({ assigneeId: 'a', status: 'open', version: 2 });
    expect(w.events.map((e) => e.detail)).toEqual([expect.objectContaining({ actor: { type: 'system', id: 'routing' }, data: expect.objectContaining({ from: 'new', to: 'open', assigneeId: 'a', fromAssigneeId: null }) })]);
    expect(await routeCase(w.deps, 't', 'k1', 'c')).toEqual({ outcome: 'not-queued' });
    expect(await routeCase(w.deps, 't', 'nope', 'c')).toEqual({ outcome: 'not-found' });
  });

  it('after losing an agent to another router, picks again with fresh figures', async () => {
    const w = world([{ userId: 'a', capacity: 1 }, { userId: 'b', capacity: 1, assignedCount: 1 }]);
    w.addCase('k1');
    w.addCase('k2');
    // Between this router's read and its write, another gives `a` the other case: `a` is full.
    w.setInterleave(() => {
      w.cases.set('k2', { ...w.cases.get('k2')!, assigneeId: 'a', status: 'open', version: 2 });
      w.loads.set('a', new Set(['k2']));
      w.agents.get('a')!.assignedCount++;
    });
    expect(await routeCase(w.deps, 't', 'k1', 'c')).toEqual({ outcome: 'assigned', agentId: 'b' });
    expect(w.loads.get('a')).toEqual(new Set(['k2']));
    expect(w.loads.get('b')).toEqual(new Set(['k1']));
  });

  it('a case someone took meanwhile: reads it again and stops', async () => {
    const w = world([{ userId: 'a' }]);
    w.addCase('k1');
    w.setInterleave(() => w.cases.set('k1', { ...w.cases.get('k1')!, assigneeId: 'x', status: 'open', version: 2 }));
    expect(await routeCase(w.deps, 't', 'k1', 'c')).toEqual({ outcome: 'not-queued' });
    expect(w.loads.get('a')).toBeUndefined();
  });

  it('nobody fits: the case stays queued', async () => {
    const w = world([{ userId: 'a', presence: 'away' }, { userId: 'b', skills: { categories: ['billing'], languages: [] } }]);
    w.addCase('k1', { category: 'technical' });
    expect(await routeCase(w.deps, 't', 'k1', 'c')).toEqual({ outcome: 'queued' });
  });
});

describe('onRoutingEvent', () => {
  it('routes a new unassigned case, not one opened with an assignee', async () => {
    const w = world([{ userId: 'a' }]);
    w.addCase('k1');
    expect(await onRoutingEvent(w.deps, bus('crm.case.opened.v1', { caseId: 'k1', customerId: 'c', priority: 'normal', category: 'general', channel: 'api', assigneeId: null, customerCreated: false }))).toEqual({ outcome: 'assigned', agentId: 'a' });
    expect(await onRoutingEvent(w.deps, bus('crm.case.opened.v1', { caseId: 'k1', customerId: 'c', priority: 'normal', category: 'general', channel: 'api', assigneeId: 'a', customerCreated: false }))).toEqual({ outcome: 'not-queued' });
  });

  it('a case that left an agent drains the queue for them, oldest first, up to their capacity', async () => {
    const w = world([{ userId: 'a', capacity: 2 }]);
    w.addCase('done', { assigneeId: 'a', status: 'resolved' });
    w.addCase('held', { assigneeId: 'a', status: 'open' });
    w.addCase('old');
    w.addCase('young');
    const result = await onRoutingEvent(w.deps, bus('crm.case.status-changed.v1', { caseId: 'done', customerId: 'c', from: 'open', to: 'resolved', assigneeId: 'a', fromAssigneeId: 'a' }));
    expect(result).toMatchObject({ drained: { assigned: 1 } });
    expect(w.cases.get('old')!.assigneeId).toBe('a');
    expect(w.cases.get('young')!.assigneeId).toBeNull();
  });

  it('a case put back in the queue is routed, not to who put it back', async () => {
    const w = world([{ userId: 'a' }, { userId: 'b', assignedCount: 5 }]);
    w.addCase('k1', { status: 'open' });
    await onRoutingEvent(w.deps, bus('crm.case.status-changed.v1', { caseId: 'k1', customerId: 'c', from: 'open', to: 'open', assigneeId: null, fromAssigneeId: 'a' }));
    expect(w.cases.get('k1')!.assigneeId).toBe('b');
  });

  it('an agent away under requeue loses their new and open cases to the queue, keeps those pending the customer; under keep nothing moves', async () => {
    const requeue = world([{ userId: 'a', presence: 'away' }], { ...DEFAULT_ROUTING_POLICY, whenAway: 'requeue' });
    requeue.addCase('open', { assigneeId: 'a', status: 'open' });
    requeue.addCase('waiting', { assigneeId: 'a', status: 'pending-customer' });
    const away = bus('crm.agent.updated.v1', { userId: 'a', presence: 'away', previousPresence: 'available', capacity: 2, previousCapacity: 2 });
    expect(await onRoutingEvent(requeue.deps, away)).toEqual({ requeued: 1 });
    expect(requeue.cases.get('open')).toMatchObject({ assigneeId: null, status: 'new' });
    expect(requeue.cases.get('waiting')).toMatchObject({ assigneeId: 'a', status: 'pending-customer' });
    expect(requeue.loads.get('a')).toEqual(new Set(['waiting']));
    // Delivered again: nothing more to do.
    expect(await onRoutingEvent(requeue.deps, away)).toEqual({ requeued: 0 });

    const keep = world([{ userId: 'a', presence: 'away' }]);
    keep.addCase('open', { assigneeId: 'a', status: 'open' });
    expect(await onRoutingEvent(keep.deps, away)).toEqual({ requeued: 0 });
    expect(keep.cases.get('open')!.assigneeId).toBe('a');
  });

  it('an agent becoming available is given queued cases they fit', async () => {
    const w = world([{ userId: 'a', capacity: 5, skills: { categories: ['billing'], languages: [] } }]);
    w.addCase('tech', { category: 'technical' });
    w.addCase('bill', { category: 'billing' });
    expect(await onRoutingEvent(w.deps, bus('crm.agent.updated.v1', { userId: 'a', presence: 'available', previousPresence: 'away', capacity: 5, previousCapacity: 5 }))).toEqual({ assigned: 1 });
    expect(w.cases.get('bill')!.assigneeId).toBe('a');
    expect(w.cases.get('tech')!.assigneeId).toBeNull();
  });
});

describe('routeCase and the directory', () => {
  it('never gives a case to a deactivated user, whatever their profile says', async () => {
    const w = world([{ userId: 'gone' }, { userId: 'here', assignedCount: 3 }]);
    const deps = { ...w.deps, users: { get: async (_t: string, userId: string) => ({ status: userId === 'gone' ? ('deactivated' as const) : ('active' as const) }) } };
    w.addCase('k1');
    expect(await routeCase(deps, 't', 'k1', 'c')).toEqual({ outcome: 'assigned', agentId: 'here' });
    w.addCase('k2');
    const onlyGone = { ...deps, users: { get: async () => ({ status: 'deactivated' as const }) } };
    expect(await routeCase(onlyGone, 't', 'k2', 'c')).toEqual({ outcome: 'queued' });
  });
});

describe('an erased customer', () => {
  it('takes their closed cases off the agents\' loads and drains the queue for them; fails while a case is not closed yet', async () => {
    const w = world([{ userId: 'a', capacity: 1 }]);
    w.addCase('mine', { assigneeId: 'a', status: 'open', customerId: 'gone' });
    w.addCase('waiting', { customerId: 'other' });
    const erased = bus('crm.customer.erased.v1', { customerId: 'gone', erasedAt: '2026-12-07T09:00:00.000Z' });
    await expect(onRoutingEvent(w.deps, erased)).rejects.toThrow(/not all closed/);
    w.cases.set('mine', { ...w.cases.get('mine')!, status: 'closed' });
    expect(await onRoutingEvent(w.deps, erased)).toEqual({ released: 1 });
    expect(w.loads.get('a')).toEqual(new Set(['waiting']));
    expect(w.cases.get('waiting')!.assigneeId).toBe('a');
  });
});
