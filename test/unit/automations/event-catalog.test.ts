import { describe, expect, it } from 'vitest';
import { EVENT_CONTRACTS } from '../../../events/index';
import { buildEventCatalog, eventCatalogFor } from '../../../shared/automations/event-catalog';
import { parseEventPattern } from '../../../shared/event-pattern';
import { Forbidden } from '../../../shared/errors';

const catalog = buildEventCatalog();
const entry = (type: string) => catalog.items.find((i) => i.detailType === type)!;

describe('the event catalog', () => {
  it('lists every event contract once, by detail-type', () => {
    const types = catalog.items.map((i) => i.detailType);
    expect(types).toEqual(Object.keys(EVENT_CONTRACTS).sort((a, b) => a.localeCompare(b)));
  });

  it("gives each event's data fields as the contract defines them, and the envelope once", () => {
    const stage = entry('crm.customer.stage-changed.v1').data as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(Object.keys(stage.properties).sort()).toEqual(['customerId', 'from', 'ownerId', 'to']);
    expect(stage.properties.to?.enum).toContain('customer');
    expect(Object.keys(catalog.envelope).sort()).toEqual(['actor', 'correlationId', 'id', 'occurredAt', 'tenantId']);
  });

  it('marks as automatable exactly the events that name a customer or a lead', () => {
    expect(entry('crm.deal.won.v1').automatable).toBe(true);
    expect(entry('crm.task.created.v1').automatable).toBe(true);
    expect(entry('crm.pool.created.v1').automatable).toBe(false);
    expect(entry('crm.campaign.completed.v1').automatable).toBe(false);
  });

  it('says whom each event mails: its customer, its lead, or the customer first when it may name both', () => {
    expect(entry('crm.deal.won.v1').recipients).toEqual(['customer']);
    expect(entry('crm.lead.nurtured.v1')).toMatchObject({ automatable: true, recipients: ['lead'] });
    expect(entry('crm.lead.qualified.v1').recipients).toEqual(['lead']);
    expect(entry('crm.lead.created.v1').recipients).toEqual(['customer', 'lead']);
    expect(entry('crm.pool.created.v1').recipients).toEqual([]);
  });

  it('offers example patterns the pattern language accepts', () => {
    for (const item of catalog.items) expect(() => parseEventPattern(item.examplePattern), item.detailType).not.toThrow();
  });

  it('is for marketers and admins', () => {
    expect(() => eventCatalogFor({ userId: 'r', tenantId: 't', groups: ['rep'] })).toThrow(Forbidden);
    expect(eventCatalogFor({ userId: 'm', tenantId: 't', groups: ['marketer'] }).items.length).toBe(catalog.items.length);
  });
});
