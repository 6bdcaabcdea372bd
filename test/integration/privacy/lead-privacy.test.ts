import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from '../client';
import { itemsMentioning, uniquePhone } from './privacy-fixtures';

/**
 * A lead's privacy requests (docs/privacy.md, "Leads"): its export, and its erasure, alone or with
 * the customer holding the same address. After an erasure nothing in the whole table names the
 * person, the values can be captured again, and the lead answers 410.
 */

type Item = Record<string, unknown>;

async function partition(tenant: string, leadId: string): Promise<Item[]> {
  const { Items } = await db().send(new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${tenant}#L#${leadId}` }, ConsistentRead: true }));
  return Items ?? [];
}

async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const mark = `qz${randomUUID().slice(0, 8)}`;
  const phone = uniquePhone();
  const email = `${mark}@example.com`;
  const created = await call<{ id: string }>('POST', '/leads', { token: admin, body: { name: `Lena ${mark}`, email, phone: phone.typed, company: `${mark} GmbH`, message: `Call me, ${mark}` } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await call('POST', `/leads/${created.body.id}/engagements`, { token: admin, body: { type: 'page-visited' } })).status).toBeLessThan(300);
  return { tenant, admin, rep, mark, email, phone, leadId: created.body.id };
}

describe('lead privacy requests', () => {
  it('export everything stored about a lead, for admins only', async () => {
    const { admin, rep, mark, leadId } = await setup();
    expect((await call('GET', `/leads/${leadId}/export`, { token: rep })).status).toBe(403);
    expect((await call('GET', `/leads/01JD0000000000000000000000/export`, { token: admin })).status).toBe(404);
    const res = await call<{ leadId: string; profile: { name: string }; signals: { type?: string }[]; other: unknown[] }>('GET', `/leads/${leadId}/export`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="lead-${leadId}.json"`);
    expect(res.body).toMatchObject({ leadId, profile: { name: `Lena ${mark}` } });
    expect(res.body.signals.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/"PK"|"GSI\dPK"/);
  });

  it('erase a lead: nothing in the table names the person, the values can be captured again, the lead answers 410', async () => {
    const { tenant, admin, rep, mark, email, phone, leadId } = await setup();
    await settle();
    expect((await itemsMentioning(mark, phone.stored)).some((i) => i.entity === 'SearchEntry')).toBe(true);
    expect((await call('DELETE', `/leads/${leadId}`, { token: rep })).status).toBe(403);

    expect((await call('DELETE', `/leads/${leadId}`, { token: admin })).status).toBe(204);
    expect(await itemsMentioning(mark, phone.stored)).toEqual([]);
    await settle();
    expect(await itemsMentioning(mark, phone.stored)).toEqual([]);
    const left = await partition(tenant, leadId);
    expect(left.map((i) => i.entity).sort()).toEqual(['Lead', 'OutboxEvent']);
    expect(Object.keys(left.find((i) => i.entity === 'Lead')!).sort()).toEqual(['PK', 'SK', 'channel', 'createdAt', 'entity', 'erasedAt', 'erasedBy', 'id', 'status', 'tenantId', 'version']);
    expect(left.find((i) => i.entity === 'OutboxEvent')).toMatchObject({ detailType: 'crm.lead.erased.v1', detail: { data: { leadId } } });

    for (const [method, path] of [['GET', `/leads/${leadId}`], ['GET', `/leads/${leadId}/export`], ['POST', `/leads/${leadId}/qualify`]] as const) {
      const res = await call<{ type: string }>(method, path, { token: admin, body: method === 'POST' ? { level: 'mql', reason: 'x' } : undefined });
      expect(res.status, path).toBe(410);
      expect(res.body.type).toMatch(/lead-erased$/);
    }
    // Idempotent: a second DELETE finishes nothing new and answers the same.
    expect((await call('DELETE', `/leads/${leadId}`, { token: admin })).status).toBe(204);
    // The guards went with it: the same person can be captured again, as a new lead.
    const again = await call<{ id: string }>('POST', '/leads', { token: admin, body: { email, phone: phone.typed } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(leadId);
  });

  it("erase the leads holding a customer's addresses with the customer: the one it was converted from among them", async () => {
    const { admin, mark, phone, leadId } = await setup();
    const converted = await call<{ customerId: string }>('POST', `/leads/${leadId}/convert`, { token: admin, body: {} });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    await settle();
    expect((await call('DELETE', `/customers/${converted.body.customerId}`, { token: admin })).status).toBe(204);
    expect((await call('GET', `/leads/${leadId}`, { token: admin })).status).toBe(410);
    await settle();
    expect(await itemsMentioning(mark, phone.stored)).toEqual([]);
  });
});
