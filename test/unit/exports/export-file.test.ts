import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../../shared/custom-fields/custom-field-definition';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import { exportBody, exportColumns, jsonRecord } from '../../../shared/exports/export-file';
import { restoreCell } from '../../../shared/files/formula-cells';
import { CUSTOMER_COLUMNS, customerColumnTargets, customerRow } from '../../../shared/imports/customer-columns';

const NOW = '2026-12-08T10:00:00.000Z';
const caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep' as const] };
const definition = (key: string, type: CustomFieldDefinition['type'], options: string[] | null = null): CustomFieldDefinition => ({
  tenantId: 't1',
  appliesTo: 'customer',
  key,
  label: key,
  type,
  options,
  description: null,
  createdAt: NOW,
  createdBy: 'admin-1',
});
const definitions = [definition('seats', 'number'), definition('modules', 'multiselect', ['crm', 'erp'])];

const acme = newCustomer(
  createCustomerInput.parse({
    name: 'Acme GmbH',
    emails: ['info@acme.example', 'sales@acme.example'],
    phones: ['+49 30 1234567'],
    industry: 'Retail',
    address: { city: 'Berlin', country: 'DE' },
    tags: ['vip', 'beta'],
    consent: { newsletter: true, events: false },
    customFields: { seats: 25, modules: ['crm', 'erp'] },
  }),
  caller,
  'C1',
  NOW,
);
const injected = newCustomer(createCustomerInput.parse({ name: '=HYPERLINK("http://x","y")', tags: ['-1', '@me'] }), caller, 'C2', NOW);

async function* from(customers: Customer[]) {
  yield* customers;
}

describe('export columns', () => {
  it("are the import's columns, then the consent topics seen (sorted, once), then the tenant's custom fields", () => {
    expect(exportColumns(definitions, ['newsletter', 'events', 'newsletter'])).toEqual([...CUSTOMER_COLUMNS, 'consent.events', 'consent.newsletter', 'customFields.seats', 'customFields.modules']);
  });
});

describe('an export file', () => {
  const columns = exportColumns(definitions, ['events', 'newsletter']);

  it('as CSV: a BOM, a header of the columns, one quoted row per customer, lists joined by ;', async () => {
    const body = await exportBody('csv', columns, from([acme]));
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, row] = parse(body, { bom: true }) as string[][];
    expect(header).toEqual(columns);
    const record = Object.fromEntries(columns.map((c, i) => [c, row![i]]));
    expect(record).toMatchObject({ id: 'C1', name: 'Acme GmbH', emails: 'info@acme.example; sales@acme.example', 'address.city': 'Berlin', tags: 'vip; beta', ownerId: 'rep-1', 'consent.newsletter': 'yes', 'consent.events': 'no', 'customFields.seats': '25', 'customFields.modules': 'crm; erp' });
    expect(body.toString('utf8')).toContain('"Acme GmbH"');
  });

  it('as CSV: neutralises cells a spreadsheet would run (OWASP), phones included, and restoreCell gives them back', async () => {
    const [, first, second] = parse(await exportBody('csv', columns, from([acme, injected])), { bom: true }) as string[][];
    const cell = (row: string[] | undefined, column: string) => row![columns.indexOf(column)]!;
    expect(cell(second, 'name')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(cell(second, 'tags')).toBe(`'-1; @me`);
    expect(cell(first, 'phones')).toBe(`'${acme.phones[0]}`);
    expect(restoreCell(cell(second, 'name'))).toBe('=HYPERLINK("http://x","y")');
  });

  it('as JSON lines: one object per customer keyed by the same columns, empty cells left out, nothing neutralised', async () => {
    const lines = (await exportBody('jsonl', columns, from([acme, injected]))).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(jsonRecord(acme, columns));
    expect(lines[0]).toMatchObject({ phones: acme.phones[0], 'customFields.modules': 'crm; erp' });
    expect(lines[0]).not.toHaveProperty('website');
    expect(lines[1]!.name).toBe('=HYPERLINK("http://x","y")');
  });

  it('imports as it is: every row read back through the import columns is the customer written', async () => {
    const [header, ...rows] = parse(await exportBody('csv', columns, from([acme, injected])), { bom: true }) as string[][];
    const targets = customerColumnTargets(header!, null, definitions);
    const back = rows.map((cells) => customerRow(cells.map(restoreCell), header!, targets, definitions));
    expect(back[0]).toMatchObject({
      ok: true,
      row: {
        id: 'C1',
        owner: 'rep-1',
        input: { name: 'Acme GmbH', emails: acme.emails, phones: acme.phones, industry: 'Retail', address: acme.address, tags: acme.tags, consent: { newsletter: true, events: false }, customFields: { seats: 25, modules: ['crm', 'erp'] } },
      },
    });
    expect(back[1]).toMatchObject({ ok: true, row: { input: { name: '=HYPERLINK("http://x","y")', tags: ['-1', '@me'] } } });
  });
});
