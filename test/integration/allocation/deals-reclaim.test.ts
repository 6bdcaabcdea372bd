import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor } from '../client';

// The reclaim sweep reads the deal facts each deal write keeps on the customer (docs/pipeline.md):
// an open deal stops the "no open deal" clock; losing it restarts the clock from that moment.

const POLICY = {
  rules: { noOpenDealDays: 20 },
  warningDaysBefore: 0,
  claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 500, maxLockedPerRep: 10 },
  reclaimCooldownDays: 7,
};

const advance = (by: string) => call('POST', '/_local/clock', { body: { advance: by } });

async function sweep(): Promise<void> {
  const run = await call('POST', '/_local/schedules/reclaim/run');
  expect(run.status).toBe(200);
}

describe('reclaim with deals', () => {
  it('keeps a customer with an open deal under the "no open deal" rule, and reclaims it N days after the deal is lost', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    expect((await call('POST', '/pools', { token: admin, body: { name: 'General', members: { users: [], groups: ['rep'] }, policy: POLICY } })).status).toBe(201);
    const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'Sales', stages: [{ id: 'open', name: 'Open', probability: 20 }] } });
    const customer = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Dealing Co' } });
    const deal = await call<{ id: string; version: number }>('POST', '/deals', {
      token: rep,
      body: { customerId: customer.body.id, pipelineId: pipeline.body.id, name: 'Pilot', amount: '10.00', currency: 'EUR', expectedCloseDate: '2099-01-01' },
    });
    expect(deal.status).toBe(201);
    const owner = async () => (await call<{ ownerId: string | null }>('GET', `/customers/${customer.body.id}`, { token: admin })).body.ownerId;

    await sweep();
    await advance('P25D');
    await sweep();
    expect(await owner()).toBe('rep-1');

    const lost = await call('PATCH', `/deals/${deal.body.id}`, { token: rep, body: { status: 'lost', reason: 'Budget cut' }, headers: { 'if-match': `"${deal.body.version}"` } });
    expect(lost.status).toBe(200);
    await sweep();
    await advance('P19D');
    await sweep();
    expect(await owner()).toBe('rep-1');

    await advance('P1DT1H');
    await sweep();
    expect(await owner()).toBeNull();
    const reclaimed = (await call<{ events: { event: { detail: { data: Record<string, unknown> } } }[] }>('GET', '/_local/events?detailType=crm.customer.reclaimed.v1')).body.events
      .map((e) => e.event.detail.data)
      .filter((d) => d.customerId === customer.body.id);
    expect(reclaimed).toEqual([expect.objectContaining({ rule: 'noOpenDealDays', days: 20, fromOwnerId: 'rep-1' })]);
  });
});
