import { describe, expect, it } from 'vitest';
import type { Agent } from '../../../shared/agents/agent';
import { canTake, isQueued, loadChange, pickAgent, requeued, routedTo, skillsFit } from '../../../shared/cases/routing';
import type { Case } from '../../../shared/cases/case';

type Candidate = Pick<Agent, 'userId' | 'presence' | 'load' | 'capacity' | 'skills' | 'assignedCount' | 'lastAssignedAt'>;

const agent = (userId: string, over: Partial<Candidate> = {}): Candidate => ({
  userId,
  presence: 'available',
  load: 0,
  capacity: 5,
  skills: { categories: [], languages: [] },
  assignedCount: 0,
  lastAssignedAt: null,
  ...over,
});
const billing = { category: 'billing', language: null };

const aCase = (over: Partial<Case> = {}): Case => ({
  id: '01JD0000000000000000000042',
  tenantId: 't',
  customerId: '01JD0000000000000000000002',
  contactId: null,
  email: null,
  subject: 's',
  description: 'd',
  priority: 'normal',
  category: 'billing',
  channel: 'api',
  status: 'new',
  assigneeId: null,
  messageCount: 0,
  lastMessageAt: null,
  firstResponseAt: null,
  resolvedAt: null,
  createdAt: '2026-12-07T09:00:00.000Z',
  createdBy: 'a',
  updatedAt: '2026-12-07T09:00:00.000Z',
  updatedBy: 'a',
  version: 3,
  language: null,
  sla: null,
  ...over,
});

describe('skills', () => {
  it('an empty list of categories or languages serves every case', () => {
    expect(skillsFit({ categories: [], languages: [] }, { category: 'billing', language: 'fr' })).toBe(true);
    expect(skillsFit({ categories: ['billing'], languages: [] }, { category: 'billing', language: 'fr' })).toBe(true);
    expect(skillsFit({ categories: ['technical'], languages: [] }, { category: 'billing', language: null })).toBe(false);
  });

  it('a case without a language fits any agent; a language serves its regional forms, not the other way round', () => {
    expect(skillsFit({ categories: [], languages: ['de'] }, { category: 'x', language: null })).toBe(true);
    expect(skillsFit({ categories: [], languages: ['de'] }, { category: 'x', language: 'de-at' })).toBe(true);
    expect(skillsFit({ categories: [], languages: ['de-at'] }, { category: 'x', language: 'de' })).toBe(false);
    expect(skillsFit({ categories: [], languages: ['de'] }, { category: 'x', language: 'dea' })).toBe(false);
  });

  it('only an available agent below capacity can take a case', () => {
    expect(canTake(agent('a'), billing)).toBe(true);
    expect(canTake(agent('a', { presence: 'away' }), billing)).toBe(false);
    expect(canTake(agent('a', { presence: 'offline' }), billing)).toBe(false);
    expect(canTake(agent('a', { load: 5 }), billing)).toBe(false);
    expect(canTake(agent('a', { load: 6 }), billing)).toBe(false);
    expect(canTake(agent('a', { capacity: 0 }), billing)).toBe(false);
  });
});

describe('pickAgent', () => {
  it('round-robin: fewest routed cases first, then the longest idle (never assigned first), then the user id', () => {
    const agents = [
      agent('c', { assignedCount: 2, lastAssignedAt: '2026-12-07T08:00:00.000Z' }),
      agent('b', { assignedCount: 1, lastAssignedAt: '2026-12-07T09:00:00.000Z' }),
      agent('a', { assignedCount: 1, lastAssignedAt: '2026-12-07T08:30:00.000Z' }),
    ];
    expect(pickAgent('round-robin', agents, billing)?.userId).toBe('a');
    expect(pickAgent('round-robin', [...agents, agent('d', { assignedCount: 1 })], billing)?.userId).toBe('d');
    expect(pickAgent('round-robin', [agent('z'), agent('y')], billing)?.userId).toBe('y');
  });

  it('round-robin ignores load: a busy agent with room and fewer routed cases goes first', () => {
    expect(pickAgent('round-robin', [agent('a', { load: 4, assignedCount: 3 }), agent('b', { load: 0, assignedCount: 4 })], billing)?.userId).toBe('a');
  });

  it('least-busy: the lowest share of capacity in use, compared exactly; ties as round-robin', () => {
    const agents = [agent('a', { load: 1, capacity: 3 }), agent('b', { load: 2, capacity: 7 }), agent('c', { load: 0, capacity: 1, presence: 'away' })];
    expect(pickAgent('least-busy', agents, billing)?.userId).toBe('b');
    expect(pickAgent('least-busy', [agent('a', { load: 1, capacity: 2, assignedCount: 9 }), agent('b', { load: 2, capacity: 4, assignedCount: 3 })], billing)?.userId).toBe('b');
  });

  it('skips who cannot take the case and the excluded agent; nobody left is undefined (the case waits)', () => {
    const agents = [agent('full', { load: 5 }), agent('away', { presence: 'away' }), agent('tech', { skills: { categories: ['technical'], languages: [] } }), agent('back')];
    expect(pickAgent('round-robin', agents, billing)?.userId).toBe('back');
    expect(pickAgent('round-robin', agents, billing, 'back')).toBeUndefined();
    expect(pickAgent('least-busy', [], billing)).toBeUndefined();
  });

  it('round-robin over one skill group keeps the counts within one of each other', () => {
    const group = ['a', 'b', 'c', 'd'].map((id) => agent(id, { capacity: 100 }));
    for (let i = 0; i < 103; i++) {
      const chosen = pickAgent('round-robin', group, billing)!;
      chosen.assignedCount++;
      chosen.load++;
      chosen.lastAssignedAt = new Date(Date.UTC(2026, 11, 7, 9, 0, i)).toISOString();
    }
    const counts = group.map((a) => a.assignedCount);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(103);
  });
});

describe('load', () => {
  it('a case counts toward its assignee while active', () => {
    expect(loadChange(undefined, { assigneeId: 'a', status: 'open' })).toEqual({ remove: null, add: 'a' });
    expect(loadChange(undefined, { assigneeId: null, status: 'new' })).toEqual({ remove: null, add: null });
    expect(loadChange({ assigneeId: 'a', status: 'open' }, { assigneeId: 'a', status: 'pending-customer' })).toEqual({ remove: null, add: null });
  });

  it('leaves the agent when resolved, closed, reassigned or put back in the queue; joins again when reopened', () => {
    expect(loadChange({ assigneeId: 'a', status: 'open' }, { assigneeId: 'a', status: 'resolved' })).toEqual({ remove: 'a', add: null });
    expect(loadChange({ assigneeId: 'a', status: 'pending-customer' }, { assigneeId: 'a', status: 'closed' })).toEqual({ remove: 'a', add: null });
    expect(loadChange({ assigneeId: 'a', status: 'open' }, { assigneeId: 'b', status: 'open' })).toEqual({ remove: 'a', add: 'b' });
    expect(loadChange({ assigneeId: 'a', status: 'open' }, { assigneeId: null, status: 'open' })).toEqual({ remove: 'a', add: null });
    expect(loadChange({ assigneeId: 'a', status: 'resolved' }, { assigneeId: 'a', status: 'open' })).toEqual({ remove: null, add: 'a' });
    expect(loadChange({ assigneeId: 'a', status: 'resolved' }, { assigneeId: 'b', status: 'resolved' })).toEqual({ remove: null, add: null });
  });
});

describe('queue', () => {
  it('queued: unassigned and new or open', () => {
    expect(isQueued({ assigneeId: null, status: 'new' })).toBe(true);
    expect(isQueued({ assigneeId: null, status: 'open' })).toBe(true);
    expect(isQueued({ assigneeId: null, status: 'pending-customer' })).toBe(false);
    expect(isQueued({ assigneeId: 'a', status: 'new' })).toBe(false);
  });

  it('routing opens a new case for the agent; requeueing makes it new and unassigned; both one version on', () => {
    const routed = routedTo(aCase(), 'a', '2026-12-07T10:00:00.000Z');
    expect(routed).toMatchObject({ assigneeId: 'a', status: 'open', version: 4, updatedBy: 'routing', updatedAt: '2026-12-07T10:00:00.000Z' });
    expect(routedTo(aCase({ status: 'open' }), 'a', '2026-12-07T10:00:00.000Z').status).toBe('open');
    expect(requeued(routed, '2026-12-07T11:00:00.000Z')).toMatchObject({ assigneeId: null, status: 'new', version: 5, updatedBy: 'routing' });
  });
});

describe('pickAgent after a lost race', () => {
  it('draws among the agents equal on the strategy\'s figure, never one further behind', () => {
    const agents = [agent('a', { assignedCount: 2 }), agent('b', { assignedCount: 1, lastAssignedAt: '2026-12-07T09:00:00.000Z' }), agent('c', { assignedCount: 1 }), agent('d', { assignedCount: 1, load: 5 })];
    expect(pickAgent('round-robin', agents, billing)?.userId).toBe('c');
    expect(pickAgent('round-robin', agents, billing, null, () => 0)?.userId).toBe('c');
    expect(pickAgent('round-robin', agents, billing, null, () => 0.99)?.userId).toBe('b');
    const drawn = new Set(Array.from({ length: 50 }, (_, i) => pickAgent('round-robin', agents, billing, null, () => i / 50)?.userId));
    expect([...drawn].sort()).toEqual(['b', 'c']);
    expect(pickAgent('least-busy', [agent('x', { load: 1, capacity: 2 }), agent('y', { load: 2, capacity: 4 }), agent('z', { load: 0 })], billing, null, () => 0.99)?.userId).toBe('z');
  });
});
