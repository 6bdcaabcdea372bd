import { describe, expect, it } from 'vitest';
import { type Contact, newContact } from '../../../shared/contacts/contact';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import { contactCapHolder, keys, MARKETING_SK_PREFIX } from '../../../shared/keys';
import type { Lead } from '../../../shared/leads/lead';
import {
  checkAudienceCriteria,
  matchesContact,
  matchesContactCompany,
  matchesLeadSegment,
  planSegment,
  segmentDefinition,
  type SegmentDefinition,
} from '../../../shared/segments/segment-definition';
import type { CustomerBatch, SegmentCursor } from '../../../shared/segments/segment-repository';
import { evaluateSegmentPage } from '../../../shared/segments/segment-use-cases';

/** Who each audience selects, and with which criteria (docs/marketing.md, "Segments"). */
const NOW = '2026-06-01T00:00:00.000Z';
const caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep' as const] };
const company = (id: string, overrides: Partial<Customer> = {}): Customer => ({
  ...newCustomer({ kind: 'company', name: `Co ${id}`, industry: 'Retail', region: 'EU', lifecycleStage: 'customer', consent: { newsletter: false } }, caller, id, '2026-01-01T00:00:00.000Z'),
  ...overrides,
});
const contact = (id: string, customerId: string, consent: Record<string, boolean>, emails = [`${id}@example.com`]): Contact =>
  newContact({ name: id, emails, consent }, caller, customerId, id, '2026-01-01T00:00:00.000Z');
const definition = (d: SegmentDefinition) => segmentDefinition.parse(d);

describe('checkAudienceCriteria', () => {
  it('customers take every customer criterion and no lead criterion', () => {
    expect(checkAudienceCriteria('customers', definition({ kinds: ['company'], consentGranted: ['newsletter'], tags: { any: ['vip'] } }))).toEqual([]);
    expect(checkAudienceCriteria('customers', definition({ leadStatuses: ['nurture'] })).map((e) => e.path)).toEqual(['definition.leadStatuses']);
  });

  it('contacts take the customer criteria for their company, but not `kinds` (their companies are companies) nor lead criteria', () => {
    expect(checkAudienceCriteria('contacts', definition({ lifecycleStages: ['customer'], ownerIds: ['u1'], tags: { all: ['vip'] }, consentGranted: ['newsletter'], lastPurchaseAt: { withinDays: 30 } }))).toEqual([]);
    expect(checkAudienceCriteria('contacts', definition({ kinds: ['company'], sources: ['web'] })).map((e) => e.path)).toEqual(['definition.kinds', 'definition.sources']);
  });

  it('leads take their own criteria, not a customer\'s lifecycle, tags or pools', () => {
    expect(checkAudienceCriteria('leads', definition({ leadStatuses: ['nurture'], sources: ['web'], consentGranted: ['marketing'] }))).toEqual([]);
    expect(checkAudienceCriteria('leads', definition({ tags: { any: ['x'] }, poolIds: ['p1'] })).map((e) => e.path)).toEqual(['definition.poolIds', 'definition.tags']);
  });
});

describe('planSegment per audience', () => {
  it('contacts use the customers\' narrowest index and say their members are contacts', () => {
    for (const d of [{ ownerIds: ['u1'] }, { lifecycleStages: ['customer' as const] }, {}]) {
      const customers = planSegment(d, 't1', 'customers');
      expect(planSegment(d, 't1', 'contacts')).toEqual({ ...customers, members: 'contacts' });
    }
    expect(planSegment({}, 't1', 'contacts')).toMatchObject({ index: { name: 'GSI4' }, partitions: ['T#t1#CUSTOMERS'] });
  });

  it('leads read the status lists, the open ones by default', () => {
    expect(planSegment({}, 't1', 'leads')).toMatchObject({ index: { name: 'GSI5' }, members: 'leads', partitions: ['T#t1#LEADSTATUS#new', 'T#t1#LEADSTATUS#nurture', 'T#t1#LEADSTATUS#mql', 'T#t1#LEADSTATUS#sql'] });
  });
});

describe('contacts matchers', () => {
  it('a company matches on its own attributes; persons never; consent is left to the contact', () => {
    const d = definition({ industries: ['Retail'], consentGranted: ['newsletter'] });
    // The company itself has not consented to the newsletter: that is its contacts' question.
    expect(matchesContactCompany(company('C1'), d, NOW)).toBe(true);
    expect(matchesContactCompany(company('C2', { industry: 'Mining' }), d, NOW)).toBe(false);
    expect(matchesContactCompany(company('C3', { kind: 'person' }), d, NOW)).toBe(false);
  });

  it('a contact matches with an address and its own consent to every named topic', () => {
    const d = definition({ consentGranted: ['newsletter'] });
    expect(matchesContact(contact('k1', 'C1', { newsletter: true }), d)).toBe(true);
    expect(matchesContact(contact('k2', 'C1', { newsletter: false }), d)).toBe(false);
    expect(matchesContact(contact('k3', 'C1', {}), d)).toBe(false);
    expect(matchesContact(contact('k4', 'C1', { newsletter: true }, []), d)).toBe(false);
    expect(matchesContact(contact('k5', 'C1', {}), definition({}))).toBe(true);
  });

  it('leads match their status, source and their own consent', () => {
    const lead = { status: 'nurture', source: 'web', ownerId: null, industry: null, region: null, consent: { marketing: { granted: true } } } as unknown as Lead;
    expect(matchesLeadSegment(lead, definition({ leadStatuses: ['nurture'], consentGranted: ['marketing'] }))).toBe(true);
    expect(matchesLeadSegment(lead, definition({ sources: ['fair'] }))).toBe(false);
  });
});

describe('evaluating a contacts segment', () => {
  it('reads the contacts of matching companies only, and keeps the consenting ones with an address', async () => {
    const companies = [company('C1'), company('C2', { industry: 'Mining' }), company('P1', { kind: 'person' }), company('C3')];
    const byCompany: Record<string, Contact[]> = {
      C1: [contact('a', 'C1', { newsletter: true }), contact('b', 'C1', { newsletter: false }), contact('c', 'C1', { newsletter: true }, [])],
      C2: [contact('d', 'C2', { newsletter: true })],
      C3: [contact('e', 'C3', { newsletter: true })],
    };
    const asked: string[][] = [];
    const reader = {
      read: async (_plan: unknown, _at: SegmentCursor): Promise<CustomerBatch> => ({ customers: companies, leads: [], scanned: companies.length, next: null }),
      contactsOf: async (_t: string, ids: readonly string[]) => {
        asked.push([...ids]);
        const contacts = ids.flatMap((id) => byCompany[id] ?? []);
        return { contacts, scanned: contacts.length };
      },
    };
    const page = await evaluateSegmentPage(reader, 't1', definition({ industries: ['Retail'], consentGranted: ['newsletter'] }), { limit: 100, nowIso: NOW, audience: 'contacts' });
    expect(asked).toEqual([['C1', 'C3']]);
    expect(page.contacts.map((m) => [m.contact.id, m.company.id])).toEqual([['a', 'C1'], ['e', 'C3']]);
    expect(page.customers).toEqual([]);
    // Four index items and the four contacts of the two companies read.
    expect(page.scanned).toBe(8);
    expect(page.cursor).toBeNull();
  });
});

describe('a contact\'s frequency cap item', () => {
  it('lives in its company\'s partition under $MKT# (erased and exported with it), found again from its holder id', () => {
    const key = keys.contactMarketingFrequency('t1', 'C1', 'K1');
    expect(key.PK).toBe(keys.customerPartition('t1', 'C1'));
    expect(key.SK.startsWith(MARKETING_SK_PREFIX)).toBe(true);
    expect(key.SK).not.toBe(keys.marketingFrequency('t1', 'C1').SK);
    expect(keys.contactMarketingFrequencyOf('t1', contactCapHolder('C1', 'K1'))).toEqual(key);
  });
});
