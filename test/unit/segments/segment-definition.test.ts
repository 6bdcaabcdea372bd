import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../../shared/custom-fields/custom-field-definition';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import { checkCustomFieldConditions, matchesSegment, planSegment, segmentDefinition, type SegmentDefinition } from '../../../shared/segments/segment-definition';

const NOW = '2026-06-01T00:00:00.000Z';
const caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep' as const] };
const base = newCustomer(
  { name: 'Acme', industry: 'Retail', region: 'EU', level: 'A', lifecycleStage: 'customer', tags: ['vip', 'beta'], consent: { newsletter: true, marketing: false } },
  caller,
  'C1',
  '2026-01-01T00:00:00.000Z',
);
const customer = (overrides: Partial<Customer> = {}): Customer => ({ ...base, customFields: { tier: 'gold', seats: 25, modules: ['crm'] }, ...overrides });
const matches = (definition: SegmentDefinition, c = customer()) => matchesSegment(c, segmentDefinition.parse(definition), NOW);

describe('matchesSegment', () => {
  it('an empty definition matches everyone', () => {
    expect(matches({})).toBe(true);
  });

  it('combines criteria with AND; lists mean any of', () => {
    expect(matches({ lifecycleStages: ['lead', 'customer'], industries: ['Retail'], regions: ['EU'], levels: ['A', 'B'], ownerIds: ['rep-1'] })).toBe(true);
    expect(matches({ lifecycleStages: ['customer'], regions: ['US'] })).toBe(false);
    expect(matches({ poolIds: ['P1'] })).toBe(false);
    expect(matches({ kinds: ['company'] })).toBe(false);
  });

  it('tags: any of, all of', () => {
    expect(matches({ tags: { any: ['x', 'vip'] } })).toBe(true);
    expect(matches({ tags: { all: ['vip', 'beta'] } })).toBe(true);
    expect(matches({ tags: { all: ['vip', 'x'] } })).toBe(false);
  });

  it('consent: every named topic granted', () => {
    expect(matches({ consentGranted: ['newsletter'] })).toBe(true);
    expect(matches({ consentGranted: ['marketing'] })).toBe(false);
    expect(matches({ consentGranted: ['never-asked'] })).toBe(false);
  });

  it('last activity: relative and absolute bounds; no value only with never', () => {
    const recent = customer({ lastFollowUpAt: '2026-05-25T00:00:00.000Z' });
    const old = customer({ lastFollowUpAt: '2026-01-15T00:00:00.000Z' });
    const never = customer({ lastFollowUpAt: null });
    expect(matches({ lastActivityAt: { withinDays: 30 } }, recent)).toBe(true);
    expect(matches({ lastActivityAt: { withinDays: 30 } }, old)).toBe(false);
    expect(matches({ lastActivityAt: { notWithinDays: 90 } }, old)).toBe(true);
    expect(matches({ lastActivityAt: { notWithinDays: 90 } }, never)).toBe(false);
    expect(matches({ lastActivityAt: { notWithinDays: 90, never: true } }, never)).toBe(true);
    expect(matches({ lastActivityAt: { never: true } }, recent)).toBe(false);
    expect(matches({ lastActivityAt: { after: '2026-01-01T00:00:00Z', before: '2026-02-01T00:00:00Z' } }, old)).toBe(true);
  });

  it('last purchase reads the last won deal', () => {
    // The last order (docs/processes.md, "Orders"), not the last won deal.
    expect(matches({ lastPurchaseAt: { withinDays: 365 } }, customer({ lastPurchaseAt: '2026-03-01T00:00:00.000Z' }))).toBe(true);
    expect(matches({ lastPurchaseAt: { withinDays: 365 } }, customer({ lastPurchaseAt: null, lastWonDealAt: '2026-03-01T00:00:00.000Z' }))).toBe(false);
  });

  it('custom fields: equals, anyOf, ranges, exists; a multiselect contains', () => {
    expect(matches({ customFields: { tier: { equals: 'gold' } } })).toBe(true);
    expect(matches({ customFields: { tier: { anyOf: ['silver', 'bronze'] } } })).toBe(false);
    expect(matches({ customFields: { seats: { min: 10, max: 30 } } })).toBe(true);
    expect(matches({ customFields: { seats: { min: 30 } } })).toBe(false);
    expect(matches({ customFields: { modules: { equals: 'crm' } } })).toBe(true);
    expect(matches({ customFields: { contractEnd: { exists: false } } })).toBe(true);
    expect(matches({ customFields: { contractEnd: { min: '2026-01-01' } } })).toBe(false);
  });
});

describe('planSegment', () => {
  it('prefers owners\' books, then pools\' books, then stage lists, then the tenant list', () => {
    const plan = (d: SegmentDefinition) => {
      const p = planSegment(d, 't1');
      return [p.index.name, p.partitions];
    };
    expect(plan({ ownerIds: ['u1', 'u1', 'u2'], lifecycleStages: ['lead'] })).toEqual(['GSI1', ['T#t1#OWNER#u1', 'T#t1#OWNER#u2']]);
    expect(plan({ poolIds: ['p1'], lifecycleStages: ['lead'] })).toEqual(['GSI1', ['T#t1#POOL#p1']]);
    expect(plan({ lifecycleStages: ['lead', 'mql'], tags: { any: ['x'] } })).toEqual(['GSI5', ['T#t1#STAGE#lead', 'T#t1#STAGE#mql']]);
    expect(plan({ industries: ['Retail'] })).toEqual(['GSI4', ['T#t1#CUSTOMERS']]);
  });
});

describe('checkCustomFieldConditions', () => {
  const field = (key: string, type: CustomFieldDefinition['type']) => ({ key, type }) as CustomFieldDefinition;
  const fields = [field('tier', 'select'), field('seats', 'number'), field('vip', 'boolean')];
  const paths = (customFields: SegmentDefinition['customFields']) => checkCustomFieldConditions({ customFields }, fields).map((e) => e.path);

  it('accepts conditions that fit the type', () => {
    expect(paths({ tier: { anyOf: ['gold'] }, seats: { min: 1 }, vip: { equals: true } })).toEqual([]);
  });

  it('names undefined keys, operators the type lacks, values of the wrong type, empty conditions', () => {
    expect(paths({ nope: { exists: true } })).toEqual(['definition.customFields.nope']);
    expect(paths({ tier: { min: 'a' } })).toEqual(['definition.customFields.tier']);
    expect(paths({ seats: { equals: 'ten' } })).toEqual(['definition.customFields.seats']);
    expect(paths({ vip: {} })).toEqual(['definition.customFields.vip']);
  });
});
