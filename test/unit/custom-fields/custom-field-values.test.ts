import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition, CustomFieldType } from '../../../shared/custom-fields/custom-field-definition';
import {
  assertCustomFieldsFit,
  checkCustomFieldChanges,
  MAX_CUSTOM_FIELDS_BYTES,
  mergeCustomFields,
} from '../../../shared/custom-fields/custom-field-values';
import { applyPatch, createCustomerInput, customerPatch, customerView, newCustomer } from '../../../shared/customers/customer';
import { ValidationFailed } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';

const NOW = '2026-11-22T10:00:00.000Z';
const field = (key: string, type: CustomFieldType, options?: string[]): CustomFieldDefinition => ({
  tenantId: 'acme',
  appliesTo: 'customer',
  key,
  label: key,
  type,
  options: options ?? null,
  description: null,
  createdAt: NOW,
  createdBy: 'admin-1',
});

const DEFINITIONS = [
  field('notes', 'text'),
  field('seats', 'number'),
  field('vip', 'boolean'),
  field('contractEnd', 'date'),
  field('lastAudit', 'datetime'),
  field('tier', 'select', ['gold', 'silver']),
  field('modules', 'multiselect', ['crm', 'billing', 'support']),
  field('portal', 'url'),
  field('billingEmail', 'email'),
  field('constructor', 'text'),
];

const check = (input: Record<string, unknown>) => checkCustomFieldChanges(input, DEFINITIONS);

/** The field errors a check throws, as path -> message. */
function errorsOf(input: Record<string, unknown>): Record<string, string> {
  try {
    check(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return Object.fromEntries((error as ValidationFailed).errors.map((e) => [e.path, e.message]));
  }
  throw new Error('expected a ValidationFailed');
}

describe('checkCustomFieldChanges: valid values', () => {
  it('accepts a value of every type and answers them as stored', () => {
    expect(
      check({
        notes: '  Prefers calls  ',
        seats: 25.5,
        vip: false,
        contractEnd: '2028-02-29',
        lastAudit: '2026-03-31T14:30:00+02:00',
        tier: 'gold',
        modules: ['support', 'crm'],
        portal: 'https://Portal.Acme.example/login',
        billingEmail: 'Billing@Acme.Example',
      }),
    ).toEqual({
      notes: 'Prefers calls',
      seats: 25.5,
      vip: false,
      contractEnd: '2028-02-29',
      lastAudit: '2026-03-31T12:30:00.000Z',
      tier: 'gold',
      modules: ['support', 'crm'],
      portal: 'https://Portal.Acme.example/login',
      billingEmail: 'billing@acme.example',
    });
  });

  it('passes null through (it removes the key) and accepts an empty multiselect', () => {
    expect(check({ seats: null, modules: [] })).toEqual({ seats: null, modules: [] });
  });

  it('accepts 0, negative numbers and text of exactly 2000 characters', () => {
    expect(check({ seats: 0 })).toEqual({ seats: 0 });
    expect(check({ seats: -3 })).toEqual({ seats: -3 });
    expect(check({ notes: 'x'.repeat(2000) }).notes).toHaveLength(2000);
  });

  it('knows a field whose key is an Object.prototype member only when it is defined', () => {
    expect(check({ constructor: 'fine' })).toEqual({ constructor: 'fine' });
    expect(Object.keys(errorsOf({ toString: 'x', hasOwnProperty: 'y' })).sort()).toEqual(['customFields.hasOwnProperty', 'customFields.toString']);
  });

  it('accepts nothing to check', () => {
    expect(check({})).toEqual({});
  });
});

describe('checkCustomFieldChanges: invalid values name customFields.<key>', () => {
  it('rejects a key the tenant has not defined', () => {
    expect(errorsOf({ colour: 'red' })).toEqual({ 'customFields.colour': expect.stringContaining('No custom field colour') });
    expect(() => checkCustomFieldChanges({ seats: 1 }, [])).toThrow(ValidationFailed);
  });

  it.each<[string, unknown]>([
    ['notes', 42],
    ['notes', ''],
    ['notes', '   '],
    ['notes', 'x'.repeat(2001)],
    ['seats', '25'],
    ['seats', true],
    ['seats', 1e126],
    ['seats', 1e-200],
    ['vip', 'yes'],
    ['vip', 0],
    ['contractEnd', '2026-02-30'],
    ['contractEnd', '2027-02-29'],
    ['contractEnd', '31.03.2026'],
    ['contractEnd', '2026-03-31T00:00:00Z'],
    ['lastAudit', '2026-03-31'],
    ['lastAudit', '2026-03-31T14:30:00'],
    ['lastAudit', '2026-13-01T10:00:00Z'],
    ['tier', 'bronze'],
    ['tier', 'Gold'],
    ['tier', ['gold']],
    ['modules', 'crm'],
    ['modules', ['crm', 'crm']],
    ['portal', 'portal.acme.example'],
    ['portal', 'ftp://files.acme.example'],
    ['portal', 'javascript:alert(1)'],
    ['portal', `https://acme.example/${'x'.repeat(2048)}`],
    ['billingEmail', 'not an email'],
    ['billingEmail', ['a@acme.example']],
  ])('rejects %s: case %#', (key, value) => {
    expect(Object.keys(errorsOf({ [key]: value }))).toEqual([`customFields.${key}`]);
  });

  it('names the position of a multiselect value that is not an option', () => {
    expect(Object.keys(errorsOf({ modules: ['crm', 'sales'] }))).toEqual(['customFields.modules.1']);
  });

  it('reports every failing key at once and keeps the messages helpful', () => {
    const errors = errorsOf({ seats: 'many', colour: 'red', tier: 'bronze', contractEnd: 'soon', vip: true });
    expect(Object.keys(errors).sort()).toEqual(['customFields.colour', 'customFields.contractEnd', 'customFields.seats', 'customFields.tier']);
    expect(errors['customFields.contractEnd']).toBe('Expected a date such as 2026-03-31');
    expect(errors['customFields.tier']).toBe("Expected one of the field's options");
  });

  it('is a ValidationFailed (400 problem naming the fields)', () => {
    const error = (() => {
      try {
        check({ seats: 'x' });
      } catch (e) {
        return e as ValidationFailed;
      }
    })();
    expect(error?.kind).toBe('invalid');
    expect(error?.message).toBe('Invalid request: customFields.seats');
  });
});

describe('mergeCustomFields', () => {
  const current = { seats: 10, tier: 'gold', vip: true };

  it('replaces present keys, removes null ones and keeps the rest, in their order', () => {
    const merged = mergeCustomFields(current, { tier: 'silver', vip: null, notes: 'new' });
    expect(merged).toEqual({ seats: 10, tier: 'silver', notes: 'new' });
    expect(Object.keys(merged)).toEqual(['seats', 'tier', 'notes']);
  });

  it('leaves the values alone without changes and does not modify its input', () => {
    expect(mergeCustomFields(current, undefined)).toBe(current);
    mergeCustomFields(current, { seats: null });
    expect(current).toEqual({ seats: 10, tier: 'gold', vip: true });
  });

  it('removing a key that is not there is no change', () => {
    expect(mergeCustomFields(current, { notes: null })).toEqual(current);
  });
});

describe('assertCustomFieldsFit', () => {
  it(`allows ${MAX_CUSTOM_FIELDS_BYTES / 1024} KB of JSON and rejects more, naming customFields`, () => {
    const ofBytes = (n: number) => ({ notes: 'x'.repeat(n - '{"notes":""}'.length) });
    expect(() => assertCustomFieldsFit(ofBytes(MAX_CUSTOM_FIELDS_BYTES))).not.toThrow();
    expect(() => assertCustomFieldsFit(ofBytes(MAX_CUSTOM_FIELDS_BYTES + 1))).toThrow(ValidationFailed);
    try {
      assertCustomFieldsFit(ofBytes(MAX_CUSTOM_FIELDS_BYTES + 1));
    } catch (error) {
      expect((error as ValidationFailed).errors.map((e) => e.path)).toEqual(['customFields']);
    }
  });

  it('counts bytes, not characters', () => {
    const umlauts = { notes: 'ü'.repeat(MAX_CUSTOM_FIELDS_BYTES / 2) };
    expect(() => assertCustomFieldsFit(umlauts)).toThrow(ValidationFailed);
  });
});

describe('customers carry custom fields', () => {
  const rep: Caller = { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] };

  it('the request schemas accept any object for customFields (the use case checks it) and nothing else', () => {
    expect(createCustomerInput.safeParse({ name: 'A', customFields: { seats: 'whatever' } }).success).toBe(true);
    expect(createCustomerInput.safeParse({ name: 'A', customFields: ['seats'] }).success).toBe(false);
    expect(customerPatch.safeParse({ customFields: null }).success).toBe(false);
    expect(customerPatch.safeParse({ customFields: { seats: null } }).success).toBe(true);
  });

  it('a new customer has the given values without nulls, or none', () => {
    const input = createCustomerInput.parse({ name: 'A', customFields: check({ seats: 3, vip: null }) });
    expect(newCustomer(input, rep, 'c-1', NOW).customFields).toEqual({ seats: 3 });
    expect(newCustomer(createCustomerInput.parse({ name: 'A' }), rep, 'c-1', NOW).customFields).toEqual({});
  });

  it('a patch merges per key and names customFields among the changed fields', () => {
    const before = newCustomer(createCustomerInput.parse({ name: 'A', customFields: { seats: 3, tier: 'gold' } }), rep, 'c-1', NOW);
    const { after, changed } = applyPatch(before, customerPatch.parse({ region: 'EMEA', customFields: { tier: null, vip: true } }), rep, NOW);

    expect(after.customFields).toEqual({ seats: 3, vip: true });
    expect(changed).toEqual(['region', 'customFields']);
    expect(customerView(after).customFields).toEqual({ seats: 3, vip: true });
  });

  it('setting the values a customer already has changes nothing', () => {
    const before = newCustomer(createCustomerInput.parse({ name: 'A', customFields: { seats: 3, tier: 'gold' } }), rep, 'c-1', NOW);
    const { after, changed } = applyPatch(before, customerPatch.parse({ customFields: { tier: 'gold', vip: null } }), rep, NOW);

    expect(changed).toEqual([]);
    expect(after).toBe(before);
  });
});
