import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

// POST /leads/{id}/convert on the local runtime (docs/leads.md#conversion): one transaction, so a
// refused conversion must leave the tenant's items exactly as they were (checked on the raw table).

type Item = Record<string, unknown>;
interface Conversion {
  leadId: string;
  customerId: string;
  customerCreated: boolean;
  contactId: string | null;
  dealId: string | null;
  activityId: string;
  customer: { id: string; kind: string; name: string; ownerId: string | null; emails: string[]; lifecycleStage: string };
  deal: { id: string; stageId: string; amount: string; ownerId: string } | null;
}
interface Problem {
  type: string;
  customerId?: string;
  field?: string;
  existingCustomerId?: string | null;
  errors?: { path: string }[];
}
interface BusRecord {
  event: { detail: { tenantId: string; data: Record<string, unknown> } };
}

const STAGES = [
  { id: 'qualified', name: 'Qualified', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 50 },
];
const DEAL = { name: 'First order', amount: '5000.00', currency: 'EUR', expectedCloseDate: '2027-03-31' };

/** A tenant whose leads route to rep-1 (team north), with a pipeline. */
async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep'], 'north');
  const routing = await call('PUT', '/routing-rules', { token: admin, body: { rules: [], defaultTeamId: 'north', teams: [{ teamId: 'north', reps: [{ userId: 'rep-1', available: true }] }] } });
  expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: STAGES } });
  expect(pipeline.status).toBe(201);
  return { tenant, admin, rep, pipelineId: pipeline.body.id };
}

async function captureLead(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ id: string; ownerId: string | null }>('POST', '/leads', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const convert = (token: string, leadId: string, body: Record<string, unknown> = {}) => call<Conversion & Problem>('POST', `/leads/${leadId}/convert`, { token, body });

/** Every item of the tenant, raw and sorted (a Scan is fine in a test, never on a request path). */
async function tenantItems(tenant: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await rawTable().send(
      new ScanCommand({ TableName: stack().tableName, FilterExpression: 'begins_with(PK, :t)', ExpressionAttributeValues: { ':t': `T#${tenant}#` }, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
}

const raw = async (PK: string, SK: string) => (await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: { PK, SK }, ConsistentRead: true }))).Item;
const ofEntity = (items: Item[], entity: string) => items.filter((i) => i.entity === entity);

async function events(detailType: string, tenant: string) {
  await settle();
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.map((r) => r.event.detail).filter((d) => d.tenantId === tenant).map((d) => d.data);
}

describe('converting a lead', () => {
  it('creates the company, its contact and an opportunity deal in one go, keeps the lead on the timeline and emits the events', async () => {
    const { tenant, admin, rep, pipelineId } = await setup();
    const email = uniqueEmail('ada');
    const leadId = await captureLead(admin, { name: 'Ada Lovelace', email, company: `Acme ${tenant}`, title: 'CTO', message: 'Please call', source: 'webinar', utm: { source: 'google', campaign: 'q4' } });
    expect((await raw(`T#${tenant}#USER#rep-1`, 'LEADS'))?.open).toBe(1);

    const res = await convert(rep, leadId, { deal: { pipelineId, ...DEAL } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('location')).toBe(`/customers/${res.body.customerId}`);
    const { customerId, contactId, dealId, activityId } = res.body;
    expect(res.body).toMatchObject({ leadId, customerCreated: true, customer: { kind: 'company', name: `Acme ${tenant}`, ownerId: 'rep-1', emails: [email], lifecycleStage: 'opportunity' }, deal: { stageId: 'qualified', amount: '5000.00', ownerId: 'rep-1' } });

    // The rep owns and reads it all; the contact is the lead; the timeline keeps the lead's story.
    const c360 = await call<{ contacts: { id: string; name: string; emails: string[] }[]; deals: { id: string }[] }>('GET', `/customers/${customerId}/360`, { token: rep });
    expect(c360.status).toBe(200);
    expect(c360.body.contacts).toEqual([expect.objectContaining({ id: contactId, name: 'Ada Lovelace', emails: [email] })]);
    expect(c360.body.deals).toEqual([expect.objectContaining({ id: dealId })]);
    // Settled first: the deal's crm.deal.created.v1 adds its `deal` entry (the timeline consumer); the
    // conversion's `lead` entry is the only one about the lead.
    await settle();
    const timeline = await call<{ items: { id: string; type: string; body: string; payload: Record<string, unknown> }[] }>('GET', `/customers/${customerId}/activities`, { token: rep });
    expect(timeline.body.items.filter((a) => a.type !== 'deal')).toEqual([
      expect.objectContaining({ id: activityId, type: 'lead', body: 'Please call', payload: expect.objectContaining({ leadId, source: 'webinar', utm: { source: 'google', campaign: 'q4' }, email }) }),
    ]);
    expect(timeline.body.items.filter((a) => a.type === 'deal').map((a) => a.payload.dealId)).toEqual([dealId]);

    // The lead points at the customer and no longer holds the person's details.
    const lead = await call<Record<string, unknown>>('GET', `/leads/${leadId}`, { token: rep });
    expect(lead.body).toMatchObject({ status: 'converted', convertedCustomerId: customerId, email: null, name: null, source: 'webinar' });

    // Counters and indexes moved in the same transaction.
    const items = await tenantItems(tenant);
    expect(ofEntity(items, 'LeadGuard')).toEqual([]);
    // The company claims the lead's email and its (non-free-mail) domain.
    expect(ofEntity(items, 'UniqueGuard').map((g) => g.PK)).toEqual([`T#${tenant}#UQ#DOMAIN#example.com`, `T#${tenant}#UQ#EMAIL#${email}`]);
    expect((await raw(`T#${tenant}#USER#rep-1`, 'LEADS'))?.open).toBe(0);
    expect((await raw(`T#${tenant}#USER#rep-1`, 'BOOK'))?.owned).toBe(1);
    expect(await raw(`T#${tenant}#C#${customerId}`, 'PROFILE')).toMatchObject({ openDeals: 1, GSI1PK: `T#${tenant}#OWNER#rep-1` });
    expect(await raw(`T#${tenant}#PIPE#${pipelineId}#AGG`, 'STAGE#qualified')).toMatchObject({ count: 1, 'sum:EUR': 500000 });

    expect(await events('crm.lead.converted.v1', tenant)).toEqual([{ leadId, customerId, customerCreated: true, contactId, dealId, activityId, leadOwnerId: 'rep-1', customerOwnerId: 'rep-1' }]);
    expect(await events('crm.customer.created.v1', tenant)).toEqual([expect.objectContaining({ customerId, ownerId: 'rep-1', lifecycleStage: 'opportunity' })]);
    expect(await events('crm.deal.created.v1', tenant)).toEqual([expect.objectContaining({ dealId, customerId, pipelineId, stageId: 'qualified' })]);

    // The person is known now: the same email captured again lands on the customer's timeline.
    const again = await call<{ disposition: string; customerId: string }>('POST', '/leads', { token: admin, body: { email } });
    expect(again.body).toMatchObject({ disposition: 'matched-customer', customerId });
  });

  it('attaches a lead to an existing company the caller may change, with the lead as a contact and no second customer', async () => {
    const { tenant, admin, rep, pipelineId } = await setup();
    const company = await call<{ id: string; version: number }>('POST', '/customers', { token: rep, body: { name: 'Globex', kind: 'company' } });
    const leadId = await captureLead(admin, { name: 'Hank Scorpio', email: uniqueEmail('hank') });

    const res = await convert(rep, leadId, { customerId: company.body.id, deal: { pipelineId, stageId: 'proposal', ...DEAL } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ customerId: company.body.id, customerCreated: false, deal: { stageId: 'proposal' } });
    expect(res.body.contactId).toEqual(expect.any(String));

    const items = await tenantItems(tenant);
    expect(ofEntity(items, 'Customer')).toHaveLength(1);
    expect(ofEntity(items, 'Contact')).toEqual([expect.objectContaining({ customerId: company.body.id, name: 'Hank Scorpio' })]);
    // The existing customer keeps its version (its ETag) and counts the deal; the owner's book is unchanged.
    expect(await raw(`T#${tenant}#C#${company.body.id}`, 'PROFILE')).toMatchObject({ version: company.body.version, openDeals: 1 });
    expect((await raw(`T#${tenant}#USER#rep-1`, 'BOOK'))?.owned).toBe(1);
    expect(await events('crm.customer.created.v1', tenant)).toHaveLength(1);
    expect(await events('crm.lead.converted.v1', tenant)).toEqual([expect.objectContaining({ customerId: company.body.id, customerCreated: false })]);

    // A customer the caller may not change: another rep's is unknown to a rep (400 at customerId).
    const other = await tokenFor(tenant, 'rep-2', ['rep'], 'north');
    const theirs = await call<{ id: string }>('POST', '/customers', { token: other, body: { name: 'Initech', kind: 'company' } });
    const second = await captureLead(admin, { email: uniqueEmail('peter') });
    const refused = await convert(rep, second, { customerId: theirs.body.id });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['customerId']);
  });

  it('lets exactly one of several concurrent conversions win; the others get 409 lead-converted and nothing is duplicated', async () => {
    const { tenant, admin, pipelineId } = await setup();
    const leadId = await captureLead(admin, { name: 'Race', email: uniqueEmail('race'), company: `Race ${tenant}` });

    const results = await Promise.all(Array.from({ length: 5 }, () => convert(admin, leadId, { deal: { pipelineId, ...DEAL } })));
    const winners = results.filter((r) => r.status === 200);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const customerId = winners[0]!.body.customerId;
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body).toMatchObject({ type: expect.stringContaining('lead-converted'), customerId });

    // Settled first: the one deal's crm.deal.created.v1 adds its `deal` entry to the timeline.
    await settle();
    const items = await tenantItems(tenant);
    expect(ofEntity(items, 'Customer').map((c) => c.id)).toEqual([customerId]);
    expect(ofEntity(items, 'Contact')).toHaveLength(1);
    expect(ofEntity(items, 'Deal')).toHaveLength(1);
    expect(ofEntity(items, 'Activity').map((a) => a.type).sort()).toEqual(['deal', 'lead']);
    expect(await raw(`T#${tenant}#PIPE#${pipelineId}#AGG`, 'STAGE#qualified')).toMatchObject({ count: 1 });
    expect(await events('crm.lead.converted.v1', tenant)).toHaveLength(1);
  });
});

describe('a refused conversion writes nothing', () => {
  it('when another customer took the lead\'s email after it was captured: 409 naming the field, every item as it was', async () => {
    const { tenant, admin, rep, pipelineId } = await setup();
    const email = uniqueEmail('taken');
    const leadId = await captureLead(admin, { name: 'Late Clash', email, company: `Clash ${tenant}` });
    const holder = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Someone else', emails: [email] } });
    expect(holder.status).toBe(201);
    await settle();
    const before = await tenantItems(tenant);

    const res = await convert(rep, leadId, { deal: { pipelineId, ...DEAL } });
    expect(res.status).toBe(409);
    // rep-1 may not read the unassigned holder: the field is named, the customer is not.
    expect(res.body).toMatchObject({ type: expect.stringContaining('duplicate-customer'), field: 'email', existingCustomerId: null });
    const asAdmin = await convert(admin, leadId, { deal: { pipelineId, ...DEAL } });
    expect(asAdmin.body).toMatchObject({ field: 'email', existingCustomerId: holder.body.id });

    await settle();
    expect(await tenantItems(tenant)).toEqual(before);
    expect(await raw(`T#${tenant}#PIPE#${pipelineId}#AGG`, 'STAGE#qualified')).toBeUndefined();
    expect(await raw(`T#${tenant}#L#${leadId}`, 'PROFILE')).toMatchObject({ status: 'new', convertedCustomerId: null, email });
    expect(await events('crm.lead.converted.v1', tenant)).toEqual([]);

    // Attaching to the holder instead is the way out.
    expect((await convert(admin, leadId, { customerId: holder.body.id })).status).toBe(200);
  });

  it('when the deal names a stage the pipeline does not have: 400 at deal.stageId, every item as it was', async () => {
    const { tenant, admin, rep, pipelineId } = await setup();
    const leadId = await captureLead(admin, { email: uniqueEmail('stage'), company: `Stage ${tenant}` });
    await settle();
    const before = await tenantItems(tenant);
    const res = await convert(rep, leadId, { deal: { pipelineId, stageId: 'negotiation', ...DEAL } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path)).toEqual(['deal.stageId']);
    const unknownPipeline = await convert(rep, leadId, { deal: { pipelineId: 'nope', ...DEAL } });
    expect(unknownPipeline.body.errors?.map((e) => e.path)).toEqual(['deal.pipelineId']);
    await settle();
    expect(await tenantItems(tenant)).toEqual(before);
  });
});

describe('who and when', () => {
  it('answers 404, 403, 409 and 400 as documented', async () => {
    const { tenant, admin, rep } = await setup();
    expect((await convert(rep, '01JD0000000000000000000000')).status).toBe(404);
    const leadId = await captureLead(admin, { email: uniqueEmail('who') });
    const marketer = await tokenFor(tenant, 'mk-1', ['marketer']);
    expect((await convert(marketer, leadId)).status).toBe(403);
    const otherRep = await tokenFor(tenant, 'rep-2', ['rep']);
    expect((await convert(otherRep, leadId)).status).toBe(404);

    const both = await convert(rep, leadId, { customerId: 'C1', company: { name: 'x' } });
    expect(both.status).toBe(400);
    expect(both.body.errors?.map((e) => e.path)).toEqual(['company']);
    const noName = await convert(rep, leadId, { company: {} });
    expect(noName.body.errors?.map((e) => e.path)).toEqual(['company.name']);

    const done = await convert(rep, leadId);
    expect(done.status).toBe(200);
    expect(done.body.customer).toMatchObject({ kind: 'person', ownerId: 'rep-1' });
    const again = await convert(rep, leadId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: expect.stringContaining('lead-converted'), customerId: done.body.customerId });
    expect((await call('POST', `/leads/${leadId}/qualify`, { token: rep, body: { level: 'sql', reason: 'x' } })).status).toBe(409);

    const out = await captureLead(admin, { email: uniqueEmail('out') });
    await call('POST', `/leads/${out}/disqualify`, { token: rep, body: { reason: 'Competitor' } });
    const disqualified = await convert(rep, out);
    expect(disqualified.status).toBe(409);
    expect(disqualified.body.type).toContain('lead-disqualified');
  });
});
