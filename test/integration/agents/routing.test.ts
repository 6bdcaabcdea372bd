import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { AgentRepository } from '../../../shared/agents/agent-repository';
import { CaseRepository } from '../../../shared/cases/case-repository';
import { routeCase } from '../../../shared/cases/routing-use-cases';
import { newId } from '../../../shared/ids';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

interface Agent {
  userId: string;
  presence: string;
  skills: { categories: string[]; languages: string[] };
  capacity: number;
  load: number;
  assignedCount: number;
  errors?: { path: string }[];
}
interface Case {
  id: string;
  status: string;
  assigneeId: string | null;
  language: string | null;
  version: number;
}

/** A tenant with an admin and agents in the directory (routing needs active users). */
async function team(agentIds: string[]) {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const tokens: Record<string, string> = {};
  for (const id of agentIds) {
    tokens[id] = await tokenFor(tenant, id, ['agent']);
    expect((await call('PUT', `/users/${id}`, { token: admin, body: { email: `${id}@example.com`, name: `Agent ${id}` } })).status).toBe(201);
  }
  return { tenant, admin, tokens };
}

const putAgent = (token: string, userId: string, body: Record<string, unknown>) => call<Agent>('PUT', `/agents/${userId}`, { token, body });
const available = (capacity: number, categories: string[] = [], languages: string[] = []) => ({ presence: 'available', skills: { categories, languages }, capacity });
const open = (token: string, body: Record<string, unknown> = {}) =>
  call<Case>('POST', '/cases', { token, body: { email: uniqueEmail('req'), subject: 'Help', description: 'Please help.', ...body } });
const read = async (token: string, id: string) => (await call<Case>('GET', `/cases/${id}`, { token })).body;
const agents = async (token: string) => (await call<{ items: Agent[] }>('GET', '/agents', { token })).body.items;

describe('routing to agents', () => {
  it('validates agent profiles naming the fields, lets agents set only their own, and lists them with their load', async () => {
    const { admin, tokens } = await team(['agent-1', 'agent-2']);
    const agent = tokens['agent-1']!;

    const bad = await putAgent(agent, 'agent-1', { presence: 'busy', skills: { categories: ['Billing Dept'], languages: ['english!'] }, capacity: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['capacity', 'presence', 'skills.categories.0', 'skills.languages.0']);
    expect((await putAgent(agent, 'agent-1', { presence: 'available', capacity: 3, extra: true })).body.errors?.map((e) => e.path)).toEqual(['extra']);
    expect((await putAgent(agent, 'agent-2', available(3))).status).toBe(403);
    const ghost = await putAgent(admin, 'nobody-here', available(3));
    expect(ghost.status).toBe(400);
    expect(ghost.body.errors?.map((e) => e.path)).toEqual(['path.userId']);

    const first = await putAgent(agent, 'agent-1', { presence: 'away', skills: { categories: ['billing'], languages: ['DE', 'en'] }, capacity: 4 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ userId: 'agent-1', presence: 'away', skills: { categories: ['billing'], languages: ['de', 'en'] }, capacity: 4, load: 0, assignedCount: 0 });
    expect((await putAgent(admin, 'agent-2', available(2))).status).toBe(201);
    expect((await putAgent(admin, 'agent-2', available(5))).status).toBe(200);

    expect((await call<Agent>('GET', '/agents/agent-1', { token: tokens['agent-2']! })).body).toMatchObject({ presence: 'away', capacity: 4 });
    expect((await call('GET', '/agents/agent-3', { token: admin })).status).toBe(404);
    expect((await agents(admin)).map((a) => [a.userId, a.presence, a.capacity])).toEqual([['agent-1', 'away', 4], ['agent-2', 'available', 5]]);
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    expect((await call('GET', '/agents', { token: rep })).status).toBe(403);
  });

  it('keeps a routing policy with defaults, set by admins only', async () => {
    const { admin, tokens } = await team(['agent-1']);
    expect((await call('GET', '/routing-policy', { token: tokens['agent-1']! })).body).toMatchObject({ strategy: 'round-robin', whenAway: 'keep', updatedAt: null });
    expect((await call('PUT', '/routing-policy', { token: tokens['agent-1']!, body: { strategy: 'least-busy' } })).status).toBe(403);
    const bad = await call<{ errors: { path: string }[] }>('PUT', '/routing-policy', { token: admin, body: { strategy: 'fastest', whenAway: 'drop' } });
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['strategy', 'whenAway']);
    expect((await call('PUT', '/routing-policy', { token: admin, body: { whenAway: 'requeue' } })).body).toMatchObject({ strategy: 'round-robin', whenAway: 'requeue', updatedBy: 'admin-1' });
    expect((await call('GET', '/routing-policy', { token: admin })).body).toMatchObject({ strategy: 'round-robin', whenAway: 'requeue' });
  });

  it('routes a new case to an available agent whose category and language fit; a case nobody fits waits in the queue', async () => {
    const { admin, tokens } = await team(['billing-de', 'tech-en']);
    await putAgent(tokens['billing-de']!, 'billing-de', available(2, ['billing'], ['de']));
    await putAgent(tokens['tech-en']!, 'tech-en', available(2, ['technical'], ['en']));
    await settle();

    const tech = (await open(admin, { category: 'technical', language: 'en' })).body;
    const billing = (await open(admin, { category: 'billing', language: 'de-AT' })).body;
    const shipping = (await open(admin, { category: 'shipping' })).body;
    const french = (await open(admin, { category: 'billing', language: 'fr' })).body;
    expect(billing.language).toBe('de-at');
    await settle();

    expect(await read(admin, tech.id)).toMatchObject({ assigneeId: 'tech-en', status: 'open' });
    expect(await read(admin, billing.id)).toMatchObject({ assigneeId: 'billing-de', status: 'open' });
    expect(await read(admin, shipping.id)).toMatchObject({ assigneeId: null, status: 'new' });
    expect(await read(admin, french.id)).toMatchObject({ assigneeId: null, status: 'new' });
    expect((await agents(admin)).map((a) => [a.userId, a.load, a.assignedCount])).toEqual([['billing-de', 1, 1], ['tech-en', 1, 1]]);

    // The routed assignment is a status change on the case's timeline, by the router.
    const { body } = await call<{ events: { event: { detail: { actor: { id: string }; data: { caseId: string; to: string } } } }[] }>('GET', '/_local/events?detailType=crm.case.status-changed.v1');
    expect(body.events.some((e) => e.event.detail.data.caseId === tech.id && e.event.detail.data.to === 'open' && e.event.detail.actor.id === 'routing')).toBe(true);
  });

  it('queues cases while nobody is available, gives them out oldest first when an agent becomes available, and again when a case leaves them', async () => {
    const { admin, tokens } = await team(['agent-1']);
    const agent = tokens['agent-1']!;
    await putAgent(agent, 'agent-1', { presence: 'away', capacity: 1 });
    const older = (await open(admin)).body;
    const newer = (await open(admin)).body;
    await settle();
    expect((await read(admin, older.id)).assigneeId).toBeNull();

    await putAgent(agent, 'agent-1', available(1));
    await settle();
    expect(await read(admin, older.id)).toMatchObject({ assigneeId: 'agent-1', status: 'open' });
    expect((await read(admin, newer.id)).assigneeId).toBeNull();
    expect((await call<Agent>('GET', '/agents/agent-1', { token: agent })).body).toMatchObject({ load: 1, capacity: 1 });

    expect((await call('POST', `/cases/${older.id}/resolve`, { token: agent })).status).toBe(200);
    await settle();
    expect(await read(admin, newer.id)).toMatchObject({ assigneeId: 'agent-1', status: 'open' });
    expect((await call<Agent>('GET', '/agents/agent-1', { token: agent })).body).toMatchObject({ load: 1, assignedCount: 2 });

    // Raising the capacity drains too; a case taken by hand through PATCH counts toward the load.
    const third = (await open(admin)).body;
    const fourth = (await open(admin)).body;
    await settle();
    expect((await read(admin, third.id)).assigneeId).toBeNull();
    const taken = await call<Case>('PATCH', `/cases/${fourth.id}`, { token: agent, body: { assigneeId: 'agent-1' }, headers: { 'if-match': `"${fourth.version}"` } });
    expect(taken.status).toBe(200);
    expect((await call<Agent>('GET', '/agents/agent-1', { token: agent })).body.load).toBe(2);
    await putAgent(agent, 'agent-1', available(3));
    await settle();
    expect((await read(admin, third.id)).assigneeId).toBe('agent-1');
    expect((await call<Agent>('GET', '/agents/agent-1', { token: agent })).body.load).toBe(3);

    // Back to the queue by hand: the load comes down, and the case is not handed straight back.
    const back = await read(admin, third.id);
    expect((await call('PATCH', `/cases/${third.id}`, { token: agent, body: { assigneeId: null }, headers: { 'if-match': `"${back.version}"` } })).status).toBe(200);
    await settle();
    expect((await read(admin, third.id)).assigneeId).toBeNull();
    expect((await call<Agent>('GET', '/agents/agent-1', { token: agent })).body.load).toBe(2);
  });

  it('puts an absent agent\'s new and open cases back in the queue under whenAway: requeue, and routes them to someone available', async () => {
    const { admin, tokens } = await team(['agent-1', 'agent-2']);
    await call('PUT', '/routing-policy', { token: admin, body: { whenAway: 'requeue' } });
    await putAgent(tokens['agent-1']!, 'agent-1', available(5));
    await settle();
    const first = (await open(admin)).body;
    const second = (await open(admin)).body;
    await settle();
    expect((await read(admin, first.id)).assigneeId).toBe('agent-1');
    expect((await read(admin, second.id)).assigneeId).toBe('agent-1');
    // A case waiting for the customer stays with its agent.
    await call('POST', `/cases/${second.id}/messages`, { token: tokens['agent-1']!, body: { text: 'Which invoice?' } });

    await putAgent(tokens['agent-2']!, 'agent-2', { presence: 'away', capacity: 5 });
    await putAgent(tokens['agent-1']!, 'agent-1', { presence: 'away', capacity: 5 });
    await settle();
    expect(await read(admin, first.id)).toMatchObject({ assigneeId: null, status: 'new' });
    expect(await read(admin, second.id)).toMatchObject({ assigneeId: 'agent-1', status: 'pending-customer' });
    expect((await call<Agent>('GET', '/agents/agent-1', { token: admin })).body.load).toBe(1);

    await putAgent(tokens['agent-2']!, 'agent-2', available(5));
    await settle();
    expect(await read(admin, first.id)).toMatchObject({ assigneeId: 'agent-2', status: 'open' });
  });

  it('keeps an absent agent\'s cases under the default policy', async () => {
    const { admin, tokens } = await team(['agent-1']);
    await putAgent(tokens['agent-1']!, 'agent-1', available(5));
    await settle();
    const opened = (await open(admin)).body;
    await settle();
    await putAgent(tokens['agent-1']!, 'agent-1', { presence: 'offline', capacity: 5 });
    await settle();
    expect((await read(admin, opened.id)).assigneeId).toBe('agent-1');
  });

  it('routes many cases opened at once over few agents: nobody over capacity, round-robin even, the rest queued', async () => {
    const ids = ['a-1', 'a-2', 'a-3'];
    const { admin, tokens } = await team(ids);
    for (const id of ids) await putAgent(tokens[id]!, id, available(3));
    await settle();
    const opened = await Promise.all(Array.from({ length: 14 }, () => open(admin)));
    expect(opened.every((r) => r.status === 201)).toBe(true);
    await settle();

    const cases = await Promise.all(opened.map((r) => read(admin, r.body.id)));
    const perAgent = Object.fromEntries(ids.map((id) => [id, cases.filter((c) => c.assigneeId === id).length]));
    expect(perAgent).toEqual({ 'a-1': 3, 'a-2': 3, 'a-3': 3 });
    expect(cases.filter((c) => c.assigneeId === null)).toHaveLength(5);
    // The load is exact: it is the number of active cases each agent holds.
    expect((await agents(admin)).map((a) => [a.userId, a.load])).toEqual(ids.map((id) => [id, 3]));
  });

  it("erasing a customer takes their closed cases off the agent's load and gives the agent the next queued case", async () => {
    const { admin, tokens } = await team(['agent-1']);
    await putAgent(tokens['agent-1']!, 'agent-1', available(1));
    await settle();
    const erased = (await open(admin)).body;
    await settle();
    const waiting = (await open(admin)).body;
    await settle();
    expect((await read(admin, erased.id)).assigneeId).toBe('agent-1');
    expect((await read(admin, waiting.id)).assigneeId).toBeNull();

    const customerId = (await call<{ customerId: string }>('GET', `/cases/${erased.id}`, { token: admin })).body.customerId;
    expect((await call('DELETE', `/customers/${customerId}`, { token: admin })).status).toBe(204);
    await settle();
    expect((await read(admin, erased.id)).status).toBe('closed');
    expect((await read(admin, waiting.id)).assigneeId).toBe('agent-1');
    expect((await call<Agent>('GET', '/agents/agent-1', { token: admin })).body.load).toBe(1);
  });

  it('two routers on one queued case: one owner, one load', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Race Co', emails: [uniqueEmail('race')] } })).body;
    const db = rawTable();
    const { tableName } = stack();
    const now = new Date().toISOString();
    // Written straight to the table: no event, so only the routers below act.
    for (const userId of ['r-1', 'r-2']) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.agent(tenant, userId), entity: 'Agent', userId, tenantId: tenant, presence: 'available', skills: { categories: [], languages: [] }, capacity: 1, assignedCount: 0, presenceChangedAt: now, updatedAt: now, updatedBy: 'test', version: 1 } }));
    }
    const caseRepo = new CaseRepository(db, tableName);
    const agentRepo = new AgentRepository(db, tableName);
    const id = newId();
    const queued = {
      id, tenantId: tenant, customerId: customer.id, contactId: null, email: null, subject: 'Race', description: 'Two routers', priority: 'normal' as const, category: 'general', channel: 'api' as const,
      status: 'new' as const, assigneeId: null, messageCount: 0, lastMessageAt: null, firstResponseAt: null, resolvedAt: null, createdAt: now, createdBy: 'test', updatedAt: now, updatedBy: 'test', version: 1, language: null, sla: null,
    };
    expect((await caseRepo.open(queued, [])).outcome).toBe('written');

    const deps = { cases: caseRepo, agents: agentRepo };
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => routeCase(deps, tenant, id, `race-${i}`)));
    expect(results.filter((r) => r.outcome === 'assigned')).toHaveLength(1);
    expect(results.filter((r) => r.outcome !== 'assigned').every((r) => r.outcome === 'not-queued')).toBe(true);
    const owner = (results.find((r) => r.outcome === 'assigned') as { agentId: string }).agentId;
    expect((await caseRepo.get(tenant, id, false))?.case).toMatchObject({ assigneeId: owner, status: 'open', version: 2 });
    const roster = await agentRepo.roster(tenant);
    expect(roster.agents.map((a) => [a.userId, a.load, a.assignedCount])).toEqual(['r-1', 'r-2'].map((u) => [u, u === owner ? 1 : 0, u === owner ? 1 : 0]));
  });
});
