import { describe, expect, it } from 'vitest';
import { ActivityRepository } from '../../../shared/activities/activity-repository';
import { ContactRepository } from '../../../shared/contacts/contact-repository';
import { CustomerNotFound } from '../../../shared/errors';
import { call, newTenant, rawTable as db, stack, tokenFor } from '../client';

/**
 * The API answers 410 for a merged or erased customer before it writes; these writers also hold
 * the line at the write, for the request that read a live profile a moment before it was erased.
 * Run against DynamoDB Local, since the condition compares NULL-valued attributes.
 */
const activity = (customerId: string, id: string, type: 'note' | 'purchase') => ({
  id, customerId, type, occurredAt: '2026-11-01T10:00:00.000Z', subject: 'Late note', body: null, payload: null,
  actor: { type: 'user' as const, id: 'boss' }, loggedAt: '2026-11-01T10:00:00.000Z', loggedBy: 'boss',
});
const contact = (customerId: string, id: string) => ({
  id, customerId, name: 'Late Contact', title: null, emails: [], phones: [], consent: {}, createdAt: '2026-11-01T10:00:00.000Z', createdBy: 'boss', updatedAt: '2026-11-01T10:00:00.000Z', updatedBy: 'boss', version: 1,
});

describe('writes into a customer partition after it became a tombstone', () => {
  it('are refused for an erased customer and accepted for a live one', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'boss', ['admin']);
    const live = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'company', name: 'Live Co' } });
    const erased = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'company', name: 'Gone Co' } });
    expect((await call('DELETE', `/customers/${erased.body.id}`, { token: admin })).status).toBe(204);
    const activities = new ActivityRepository(db(), stack().tableName);
    const contacts = new ContactRepository(db(), stack().tableName);
    const event = (id: string) => ({ detailType: 'crm.activity.logged.v1', detail: { id } });

    for (const followUp of [true, false]) {
      await expect(activities.log(tenant, activity(erased.body.id, `A${Number(followUp)}`, followUp ? 'note' : 'purchase') as never, followUp, event(`E${Number(followUp)}`))).rejects.toThrow(CustomerNotFound);
      await activities.log(tenant, activity(live.body.id, `A${Number(followUp)}`, followUp ? 'note' : 'purchase') as never, followUp, event(`L${Number(followUp)}`));
    }
    await expect(contacts.add(tenant, contact(erased.body.id, 'K1') as never)).rejects.toThrow(CustomerNotFound);
    await contacts.add(tenant, contact(live.body.id, 'K1') as never);

    const view = await call<{ contacts: unknown[]; latestActivities: unknown[] }>('GET', `/customers/${live.body.id}/360`, { token: admin });
    expect([view.body.contacts.length, view.body.latestActivities.length]).toEqual([1, 2]);
  });
});
