import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Activity {
  id: string;
  type: string;
  occurredAt: string;
  subject: string | null;
  actor: { type: string; id: string };
}
interface Page {
  items: Activity[];
  cursor: string | null;
}

async function customerWithRep() {
  const tenant = newTenant();
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Ada', emails: [uniqueEmail()], consent: { newsletter: true } } });
  return { tenant, rep, id: body.id };
}

const log = (token: string, id: string, body: Record<string, unknown>) => call<Activity>('POST', `/customers/${id}/activities`, { token, body });
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('POST and GET /customers/{id}/activities', () => {
  it('logs activities and lists them newest first by when they happened', async () => {
    const { rep, id } = await customerWithRep();
    await log(rep, id, { type: 'call', subject: 'Intro call', occurredAt: ago(3 * 3_600_000) });
    await log(rep, id, { type: 'meeting', subject: 'Demo', occurredAt: ago(3_600_000) });
    await log(rep, id, { type: 'note', subject: 'Logged late about yesterday', occurredAt: ago(24 * 3_600_000) });

    const { status, body } = await call<Page>('GET', `/customers/${id}/activities`, { token: rep });

    expect(status).toBe(200);
    expect(body.items.map((a) => a.subject)).toEqual(['Demo', 'Intro call', 'Logged late about yesterday']);
    expect(body.items[0]!.actor).toEqual({ type: 'user', id: 'rep-1', name: null });
  });

  it('pages with an opaque cursor and refuses a cursor for another customer', async () => {
    const { rep, id } = await customerWithRep();
    for (let i = 0; i < 5; i++) await log(rep, id, { type: 'note', subject: `n${i}`, occurredAt: ago((10 - i) * 60_000) });

    const first = await call<Page>('GET', `/customers/${id}/activities?limit=2`, { token: rep });
    const second = await call<Page>('GET', `/customers/${id}/activities?limit=2&cursor=${first.body.cursor}`, { token: rep });
    const third = await call<Page>('GET', `/customers/${id}/activities?limit=2&cursor=${second.body.cursor}`, { token: rep });
    const other = await customerWithRep();
    const forged = await call<{ errors: { path: string }[] }>('GET', `/customers/${other.id}/activities?cursor=${first.body.cursor}`, { token: other.rep });

    expect([...first.body.items, ...second.body.items, ...third.body.items].map((a) => a.subject)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0]!.path).toBe('query.cursor');
  });

  it('moves lastFollowUpAt forward on follow-ups only, never backwards', async () => {
    const { rep, id } = await customerWithRep();
    const recent = ago(60_000);

    await log(rep, id, { type: 'call', occurredAt: recent });
    await log(rep, id, { type: 'meeting', occurredAt: ago(86_400_000) });
    await log(rep, id, { type: 'purchase', payload: { total: 120 } });

    const { body } = await call<{ lastFollowUpAt: string; version: number }>('GET', `/customers/${id}`, { token: rep });
    expect(body.lastFollowUpAt).toBe(recent);
    expect(body.version).toBe(1);
  });

  it('keeps lastFollowUpAt when the record is edited concurrently', async () => {
    const { rep, id } = await customerWithRep();
    const at = ago(1000);

    await Promise.all([
      log(rep, id, { type: 'call', occurredAt: at }),
      call('PATCH', `/customers/${id}`, { token: rep, body: { region: 'EMEA' }, headers: { 'if-match': '"1"' } }),
    ]);

    const { body } = await call<{ lastFollowUpAt: string; region: string }>('GET', `/customers/${id}`, { token: rep });
    expect(body).toMatchObject({ lastFollowUpAt: at, region: 'EMEA' });
  });

  it('rejects an activity in the future and an unknown type, naming the fields', async () => {
    const { rep, id } = await customerWithRep();
    // Tomorrow on the runtime's clock, which other tests may have moved.
    const { body: clockNow } = await call<{ now: string }>('GET', '/_local/clock');
    const future = await call<{ errors: { path: string }[] }>('POST', `/customers/${id}/activities`, {
      token: rep,
      body: { type: 'call', occurredAt: new Date(Date.parse(clockNow.now) + 86_400_000).toISOString() },
    });
    const unknown = await call<{ errors: { path: string }[] }>('POST', `/customers/${id}/activities`, { token: rep, body: { type: 'telepathy' } });

    expect([future.status, unknown.status]).toEqual([400, 400]);
    expect(future.body.errors[0]!.path).toBe('occurredAt');
    expect(unknown.body.errors[0]!.path).toBe('type');
  });

  it('answers 404 for a customer of another tenant, and logs nothing there', async () => {
    const { id } = await customerWithRep();
    const stranger = await tokenFor(newTenant(), 'admin-1', ['admin']);
    expect((await log(stranger, id, { type: 'note' })).status).toBe(404);
    expect((await call('GET', `/customers/${id}/activities`, { token: stranger })).status).toBe(404);
  });

  it('emits crm.activity.logged.v1 saying whether it was a follow-up', async () => {
    const { rep, id } = await customerWithRep();
    const { body: activity } = await log(rep, id, { type: 'visit' });
    await settle();

    const { body } = await call<{ events: { event: { detail: { data: Record<string, unknown> } } }[] }>('GET', '/_local/events?detailType=crm.activity.logged.v1');

    expect(body.events.map((e) => e.event.detail.data).filter((d) => d.customerId === id)).toEqual([
      { customerId: id, activityId: activity.id, activityType: 'visit', occurredAt: activity.occurredAt, followUp: true },
    ]);
  });
});

describe('GET /customers/{id}/360', () => {
  it('shows profile, consent with its evidence, empty related sections and the latest activities', async () => {
    const { rep, id } = await customerWithRep();
    await log(rep, id, { type: 'call', subject: 'Kick-off' });
    await settle();

    const { status, body } = await call<{
      customer: { id: string };
      consent: Record<string, { granted: boolean; at: string; source: string }>;
      contacts: unknown[];
      deals: unknown[];
      ownershipHistory: unknown[];
      latestActivities: Activity[];
    }>('GET', `/customers/${id}/360`, { token: rep });

    expect(status).toBe(200);
    expect(body.customer.id).toBe(id);
    expect(body.consent.newsletter).toMatchObject({ granted: true, source: 'api' });
    expect(body).toMatchObject({ contacts: [], deals: [] });
    // The rep who created the customer owns it: that is the first entry of its ownership history.
    expect(body.ownershipHistory).toEqual([expect.objectContaining({ reason: 'created', from: null, to: 'rep-1' })]);
    expect(body.latestActivities.map((a) => a.subject)).toEqual(['Kick-off']);
    expect(JSON.stringify(body)).not.toContain('$EVT#');
  });

  it('answers 404 to a rep who does not own the customer, and across tenants', async () => {
    const { tenant, id } = await customerWithRep();
    expect((await call('GET', `/customers/${id}/360`, { token: await tokenFor(tenant, 'rep-2', ['rep']) })).status).toBe(404);
    expect((await call('GET', `/customers/${id}/360`, { token: await tokenFor(newTenant(), 'admin-1', ['admin']) })).status).toBe(404);
  });
});
