import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { customerErasedV1 } from '../../../events/customer-erased.v1';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import {
  authorizeErasure,
  erasedProfile,
  mergedSourceOf,
  scrub,
  suppressionMarker,
  TOMBSTONE_ATTRIBUTES,
} from '../../../shared/privacy/customer-erasure';
import { profileIndexKeys } from '../../../shared/customers/profile-item';
import { CustomerErased, CustomerMerged, CustomerNotFound, Forbidden } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { INDEX_KEY_ATTRIBUTES } from '../../../shared/keys';

const caller = (groups: Caller['groups'], userId = 'u-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const NOW = '2026-11-22T10:00:00.000Z';
const ERASED_AT = '2026-11-25T16:00:00.000Z';
const PK = 'T#acme#C#c-1';

const customer: Customer = newCustomer(
  createCustomerInput.parse({
    kind: 'company',
    name: 'Zyxwv Personal GmbH',
    emails: ['zyxwv@example.com'],
    phones: ['+49 30 5550199'],
    website: 'https://zyxwv.example',
    address: { street: 'Zyxwvstr. 1', city: 'Berlin', country: 'DE' },
    industry: 'Zyxwv industry',
    region: 'Zyxwv region',
    source: 'Zyxwv fair',
    tags: ['zyxwv-tag'],
    consent: { marketing: true },
  }),
  caller(['rep'], 'rep-1'),
  'c-1',
  NOW,
);
const profileItem = { PK, SK: 'PROFILE', entity: 'Customer', ...customer, ...profileIndexKeys(customer), customFields: { vat: 'DE-ZYXWV' } };

describe('erasedProfile', () => {
  it('keeps only id, tenant, kind, stage, creation, version + 1 and who erased when, with the storage keys', () => {
    const tombstone = erasedProfile(customer, caller(['admin'], 'admin-1'), ERASED_AT);

    expect(tombstone).toEqual({
      PK,
      SK: 'PROFILE',
      entity: 'Customer',
      id: 'c-1',
      tenantId: 'acme',
      kind: 'company',
      lifecycleStage: 'lead',
      createdAt: NOW,
      version: 2,
      erasedAt: ERASED_AT,
      erasedBy: 'admin-1',
    });
    expect(Object.keys(tombstone).every((name) => (TOMBSTONE_ATTRIBUTES as readonly string[]).includes(name))).toBe(true);
    expect(JSON.stringify(tombstone)).not.toMatch(/zyxwv/i);
    for (const attribute of INDEX_KEY_ATTRIBUTES) expect(tombstone).not.toHaveProperty(attribute);
  });

  it('keeps the pointer of a merged customer, so it still answers 410 customer-merged', () => {
    expect(erasedProfile({ ...customer, mergedInto: 'c-9' }, caller(['admin']), ERASED_AT)).toMatchObject({ mergedInto: 'c-9' });
  });
});

describe('scrub', () => {
  it('reduces a profile to the tombstone attributes, whatever was added to it (custom fields, index keys, lastFollowUpAt)', () => {
    const action = scrub({ ...profileItem, erasedAt: ERASED_AT, lastFollowUpAt: NOW });

    expect(action.action).toBe('replace');
    const item = (action as { item: Record<string, unknown> }).item;
    expect(Object.keys(item).sort()).toEqual(['PK', 'SK', 'createdAt', 'entity', 'erasedAt', 'id', 'kind', 'lifecycleStage', 'tenantId', 'version']);
    expect(JSON.stringify(item)).not.toMatch(/zyxwv/i);
  });

  it('keeps a tombstone as it is', () => {
    expect(scrub(erasedProfile(customer, caller(['admin']), ERASED_AT))).toEqual({ action: 'keep' });
  });

  it('deletes contacts', () => {
    expect(scrub({ PK, SK: 'CONTACT#k-1', entity: 'Contact', name: 'Grace', emails: ['g@example.com'] })).toEqual({ action: 'delete' });
  });

  it('reduces an activity to type, time and who logged it', () => {
    const activity = {
      PK, SK: `ACT#${NOW}#a-1`, entity: 'Activity', id: 'a-1', customerId: 'c-1', type: 'call', occurredAt: NOW,
      subject: 'Zyxwv called', body: 'Zyxwv said...', payload: { phone: '+49305550199' }, actor: { type: 'user', id: 'rep-1' }, loggedAt: NOW,
    };

    const action = scrub(activity);

    expect(action).toEqual({
      action: 'replace',
      item: { PK, SK: `ACT#${NOW}#a-1`, entity: 'Activity', id: 'a-1', customerId: 'c-1', type: 'call', occurredAt: NOW, actor: { type: 'user', id: 'rep-1' }, loggedAt: NOW },
    });
    expect(scrub((action as { item: Record<string, unknown> }).item)).toEqual({ action: 'keep' });
  });

  it('keeps only the ids of a merge entry payload', () => {
    const entry = {
      PK, SK: `ACT#${NOW}#m-1`, entity: 'Activity', id: 'm-1', customerId: 'c-1', type: 'merge', occurredAt: NOW, subject: 'Merged Zyxwv (c-2) into this customer',
      body: null, payload: { survivorId: 'c-1', sourceId: 'c-2', role: 'survivor', note: 'Zyxwv' }, actor: { type: 'user', id: 'admin-1' }, loggedAt: NOW,
    };

    const action = scrub(entry) as { action: 'replace'; item: Record<string, unknown> };

    expect(action.item.payload).toEqual({ survivorId: 'c-1', sourceId: 'c-2', role: 'survivor' });
    expect(JSON.stringify(action.item)).not.toMatch(/zyxwv/i);
    expect(scrub(action.item)).toEqual({ action: 'keep' });
  });

  it('deletes tasks, which leaves the assignee lists and the reminder index with them', () => {
    expect(scrub({ PK, SK: 'TASK#t-1', entity: 'Task', title: 'Call Grace', GSI1PK: 'T#acme#TASKS#rep-1#OPEN', GSI2PK: 'TASKREMIND' })).toEqual({ action: 'delete' });
  });

  it('deletes outbox events except the erasure event', () => {
    expect(scrub({ PK, SK: '$EVT#e-1', detailType: 'crm.customer.created.v1', detail: { data: { name: 'Zyxwv' } } })).toEqual({ action: 'delete' });
    expect(scrub({ PK, SK: '$EVT#e-2', detailType: 'crm.customer.erased.v1', detail: { data: { customerId: 'c-1' } } })).toEqual({ action: 'keep' });
  });

  it('keeps that a side effect happened, not its result', () => {
    const marker = { PK, SK: '$DONE#welcome-email', entity: 'SideEffect', status: 'done', claimedAt: NOW, result: { messageId: 'ses-1' } };

    expect(scrub(marker)).toEqual({ action: 'replace', item: { PK, SK: '$DONE#welcome-email', entity: 'SideEffect', status: 'done', claimedAt: NOW } });
  });

  it('keeps the marker that suppresses an effect for the erased customer', () => {
    expect(scrub(suppressionMarker('acme', 'c-1', 'welcome-email', ERASED_AT))).toEqual({ action: 'keep' });
  });

  it('reduces a record of a kind it does not know to its keys, index keys removed', () => {
    const record = { PK, SK: 'CASE#k-1', entity: 'Case', title: 'Zyxwv case', amount: 100, GSI1PK: 'T#acme#QUEUE', GSI1SK: 'x' };

    expect(scrub(record)).toEqual({ action: 'replace', item: { PK, SK: 'CASE#k-1', entity: 'Case' } });
  });

  it('keeps a deal\'s numbers and index keys (board, forecast), not its name or close reason', () => {
    const deal = { PK, SK: 'DEAL#d-1', entity: 'Deal', id: 'd-1', name: 'Zyxwv deal', closeReason: 'Zyxwv moved', amountMinor: 100, currency: 'EUR', status: 'lost', GSI1PK: 'T#acme#PIPE#p#LOST', GSI1SK: 'x' };

    expect(scrub(deal)).toEqual({
      action: 'replace',
      item: { PK, SK: 'DEAL#d-1', entity: 'Deal', id: 'd-1', amountMinor: 100, currency: 'EUR', status: 'lost', GSI1PK: 'T#acme#PIPE#p#LOST', GSI1SK: 'x' },
    });
  });
});

describe('mergedSourceOf', () => {
  const entry = (payload: unknown, type = 'merge') => ({ PK, SK: `ACT#${NOW}#m-1`, type, payload });

  it('names the customer a survivor-side merge entry absorbed', () => {
    expect(mergedSourceOf(entry({ survivorId: 'c-1', sourceId: 'c-2', role: 'survivor' }))).toBe('c-2');
  });

  it('ignores the source-side entry, other activities and malformed payloads', () => {
    expect(mergedSourceOf(entry({ survivorId: 'c-9', sourceId: 'c-1', role: 'source' }))).toBeUndefined();
    expect(mergedSourceOf(entry({ survivorId: 'c-1', sourceId: 'c-2', role: 'survivor' }, 'note'))).toBeUndefined();
    expect(mergedSourceOf(entry({ survivorId: 'c-1', sourceId: 'c-1', role: 'survivor' }))).toBeUndefined();
    expect(mergedSourceOf(entry(null))).toBeUndefined();
  });
});

describe('authorizeErasure', () => {
  const check = (who: Caller, c: Customer | undefined) => {
    try {
      authorizeErasure(who, c, 'c-1');
      return 'allowed';
    } catch (error) {
      return error;
    }
  };

  it('lets an admin of the tenant erase, also an erased customer (to finish the job)', () => {
    expect(check(caller(['admin']), customer)).toBe('allowed');
    expect(check(caller(['admin']), { ...customer, erasedAt: ERASED_AT })).toBe('allowed');
  });

  it('answers 404 for an unknown customer, another tenant, or a rep who cannot read it', () => {
    expect(check(caller(['admin']), undefined)).toBeInstanceOf(CustomerNotFound);
    expect(check(caller(['admin'], 'u-1', 'other'), customer)).toBeInstanceOf(CustomerNotFound);
    expect(check(caller(['rep'], 'rep-2'), customer)).toBeInstanceOf(CustomerNotFound);
  });

  it('answers 403 to everyone else who can read it, the owning rep included', () => {
    for (const groups of [['rep'], ['marketer'], ['agent']] as Caller['groups'][]) {
      expect(check(caller(groups, 'rep-1'), customer), groups.join()).toBeInstanceOf(Forbidden);
    }
    // A manager reads the unowned customers (and their team's).
    expect(check(caller(['manager'], 'mgr-1'), { ...customer, ownerId: null })).toBeInstanceOf(Forbidden);
  });

  it('answers 410 naming the survivor for a merged customer', () => {
    const error = check(caller(['admin']), { ...customer, mergedInto: 'c-9' });

    expect(error).toBeInstanceOf(CustomerMerged);
    expect((error as CustomerMerged).extensions).toMatchObject({ mergedInto: 'c-9', location: '/customers/c-9' });
    expect(error).not.toBeInstanceOf(CustomerErased);
  });
});

describe('crm.customer.erased.v1', () => {
  it('carries ids and time only: extra data (a name) does not survive the contract', () => {
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/fixtures/crm.customer.erased.v1.json'), 'utf8'));

    const parsed = customerErasedV1.schema.parse({ ...fixture, data: { ...fixture.data, name: 'Zyxwv' } });

    expect(Object.keys(parsed.data).sort()).toEqual(['customerId', 'erasedAt']);
  });
});
