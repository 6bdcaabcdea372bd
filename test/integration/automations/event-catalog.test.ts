import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor } from '../client';

interface Catalog {
  source: string;
  items: { detailType: string; automatable: boolean; data: { properties?: Record<string, unknown> }; examplePattern: Record<string, unknown> }[];
}

describe('GET /automations/event-catalog', () => {
  it('lists the events a marketer can build an automation on, with patterns the automation routes accept', async () => {
    const tenant = newTenant();
    const marketer = await tokenFor(tenant, 'mk-1', ['marketer']);
    const { status, body } = await call<Catalog>('GET', '/automations/event-catalog', { token: marketer });
    expect(status).toBe(200);
    expect(body.source).toBe('crm');
    const won = body.items.find((i) => i.detailType === 'crm.deal.won.v1');
    expect(won).toMatchObject({ automatable: true, examplePattern: { source: ['crm'], 'detail-type': ['crm.deal.won.v1'] } });
    expect(Object.keys(won!.data.properties ?? {})).toContain('customerId');

    const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'Won', subject: 'Thanks', html: '<p>Thanks</p>', text: 'Thanks' } });
    const created = await call('POST', '/automations', { token: marketer, body: { name: 'On won', eventPattern: won!.examplePattern, templateId: template.body.id, topic: 'marketing', enabled: false } });
    expect(created.status).toBe(201);

    expect((await call('GET', '/automations/event-catalog', { token: await tokenFor(tenant, 'rep-1', ['rep']) })).status).toBe(403);
  });
});
