import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../../shared/custom-fields/custom-field-definition';
import { ValidationFailed } from '../../../shared/errors';
import { CUSTOMER_COLUMNS, customerCells, customerColumnTargets, customerRow } from '../../../shared/imports/customer-columns';
import { newCustomer } from '../../../shared/customers/customer';

const definition = (key: string, type: CustomFieldDefinition['type'], options?: string[]) =>
  ({ tenantId: 't', appliesTo: 'customer', key, label: key, type, options: options ?? null, description: null, createdAt: '', createdBy: '' }) as unknown as CustomFieldDefinition;
const DEFINITIONS = [definition('size', 'number'), definition('vip', 'boolean'), definition('areas', 'multiselect', ['north', 'south'])];

function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.path);
    throw error;
  }
  throw new Error('not refused');
}

describe('customer columns of an import', () => {
  it('map columns to fields, ignoring columns the mapping leaves out; lists may take several columns', () => {
    const header = ['Company', 'Mail 1', 'Mail 2', 'Notes'];
    expect(customerColumnTargets(header, { Company: 'name', 'Mail 1': 'emails', 'Mail 2': 'emails' }, [])).toEqual(['name', 'emails', 'emails', null]);
    expect(customerColumnTargets(['name', 'address.city', 'consent.newsletter', 'customFields.size'], null, DEFINITIONS)).toEqual(['name', 'address.city', 'consent.newsletter', 'customFields.size']);
  });

  it('refuse a header or mapping that does not fit, naming the column', () => {
    expect(refusal(() => customerColumnTargets(['name', 'colour'], null, []))).toEqual(['header.colour']);
    expect(refusal(() => customerColumnTargets(['Name'], { Name: 'name', Gone: 'emails' }, []))).toEqual(['mapping.Gone']);
    expect(refusal(() => customerColumnTargets(['A', 'B'], { A: 'name', B: 'name' }, []))).toEqual(['mapping']);
    expect(refusal(() => customerColumnTargets(['name', 'name'], null, []))).toEqual(['header.2', 'mapping']);
    expect(refusal(() => customerColumnTargets(['emails'], null, []))).toEqual(['mapping']);
    expect(refusal(() => customerColumnTargets(['name', 'customFields.unknown', 'address.planet'], null, DEFINITIONS))).toEqual(['header.customFields.unknown', 'header.address.planet']);
  });

  it('read a row as POST /customers takes it: lists split on ;, yes/no consent, typed custom fields, quoted formula cells restored', () => {
    const header = ['name', 'emails', 'phones', 'tags', 'consent.newsletter', 'customFields.size', 'customFields.vip', 'customFields.areas', 'address.city', 'ownerId'];
    const targets = customerColumnTargets(header, null, DEFINITIONS);
    const check = customerRow(['Acme', 'A@Example.com; b@example.com', "'+49 30 1234567", 'x;y', 'Yes', '1 200', 'no', 'north;south', 'Berlin', 'rep@example.com'], header, targets, DEFINITIONS);
    expect(check).toEqual({
      ok: true,
      row: {
        input: {
          name: 'Acme',
          emails: ['a@example.com', 'b@example.com'],
          phones: ['+49301234567'],
          tags: ['x', 'y'],
          consent: { newsletter: true },
          customFields: { size: 1200, vip: false, areas: ['north', 'south'] },
          address: { city: 'Berlin' },
        },
        id: null,
        owner: 'rep@example.com',
        given: ['name', 'emails', 'phones', 'tags', 'address', 'consent', 'customFields'],
      },
    });
  });

  it('name the column of each error, as the file calls it', () => {
    const header = ['Firm', 'Mail', 'Opt-in', 'Size'];
    const targets = customerColumnTargets(header, { Firm: 'name', Mail: 'emails', 'Opt-in': 'consent.newsletter', Size: 'customFields.size' }, DEFINITIONS);
    const check = customerRow(['', 'not-mail', 'perhaps', 'big'], header, targets, DEFINITIONS);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors.map((e) => e.column)).toEqual(['Opt-in', 'Firm', 'Mail']);
    const typed = customerRow(['Acme', '', '', 'big'], header, targets, DEFINITIONS);
    expect(!typed.ok && typed.errors.map((e) => e.column)).toEqual(['Size']);
  });

  it('take a row naming an existing customer without a name, and update only what it gives', () => {
    const header = ['id', 'industry'];
    const check = customerRow(['01JD0000000000000000000001', 'Retail'], header, customerColumnTargets(header, null, []), []);
    expect(check).toMatchObject({ ok: true, row: { id: '01JD0000000000000000000001', given: ['industry'] } });
  });

  it('write a customer as the cells an import reads back', () => {
    const caller = { tenantId: 't', userId: 'u', groups: ['admin' as const] };
    const customer = newCustomer({ name: 'Acme', emails: ['a@example.com', 'b@example.com'], phones: ['+49301234567'], address: { city: 'Berlin' }, consent: { news: true }, customFields: { areas: ['north', 'south'] } }, caller, 'C1', '2026-12-07T00:00:00.000Z');
    const columns = [...CUSTOMER_COLUMNS, 'consent.news', 'customFields.areas'];
    const cells = customerCells(customer, columns);
    const mapping = Object.fromEntries(columns.filter((c) => c !== 'id').map((c) => [c, c]));
    const back = customerRow(cells, columns, customerColumnTargets(columns, mapping, DEFINITIONS), DEFINITIONS);
    expect(back).toMatchObject({ ok: true, row: { input: { name: 'Acme', emails: ['a@example.com', 'b@example.com'], phones: ['+49301234567'], address: { city: 'Berlin' }, consent: { news: true }, customFields: { areas: ['north', 'south'] } } } });
  });
});
