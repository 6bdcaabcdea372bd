import type { CustomFieldDefinition } from '../custom-fields/custom-field-definition';
import { checkCustomFieldChanges } from '../custom-fields/custom-field-values';
import { type CreateCustomerInput, createCustomerInput, type Customer } from '../customers/customer';
import { CONSENT_TOPIC } from '../consent/consent-check';
import { ValidationFailed } from '../errors';
import { fieldErrors } from '../field-errors';
import { restoreCell } from '../files/formula-cells';
import { type ColumnTarget, mappedTargets, type RowCheck, yesNo } from './import-rows';

/**
 * The columns of a customer CSV, in and out (docs/integrations.md, "Columns"): one field path per
 * column (`name`, `emails`, `address.city`, `consent.newsletter`, `customFields.vatId`), the same
 * names an import maps to and an export writes, so an exported file imports as it is. Lists
 * (emails, phones, tags, multiselect values) are one cell separated by `;`, or several columns
 * mapped to the same field. Pure.
 */

/** Fields one cell holds one value of. */
const SCALAR_FIELDS = ['kind', 'name', 'website', 'domain', 'industry', 'region', 'level', 'lifecycleStage', 'source'] as const;
/** Fields whose cell holds a `;`-separated list; several columns may add to one. */
const LIST_FIELDS = ['emails', 'phones', 'tags'] as const;
const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const;
/** Not written by an import: an existing customer's id (the row is that customer: a duplicate) and its owner. */
const MATCH_FIELDS = ['id', 'ownerId'] as const;

export const LIST_SEPARATOR = ';';

/** The columns an export writes, in order, before the tenant's consent topics and custom fields. */
export const CUSTOMER_COLUMNS = ['id', ...SCALAR_FIELDS.slice(0, 2), 'emails', 'phones', ...SCALAR_FIELDS.slice(2), ...ADDRESS_PARTS.map((p) => `address.${p}`), 'tags', 'ownerId'] as const;


const isKnownField = (field: string, definitions: ReadonlyMap<string, CustomFieldDefinition>): boolean => {
  if ((SCALAR_FIELDS as readonly string[]).includes(field) || (LIST_FIELDS as readonly string[]).includes(field) || (MATCH_FIELDS as readonly string[]).includes(field)) return true;
  const [head, rest] = [field.slice(0, field.indexOf('.')), field.slice(field.indexOf('.') + 1)];
  if (!field.includes('.') || !rest) return false;
  if (head === 'address') return (ADDRESS_PARTS as readonly string[]).includes(rest);
  if (head === 'consent') return CONSENT_TOPIC.test(rest);
  if (head === 'customFields') return definitions.has(rest);
  return false;
};

const isList = (field: string, definitions: ReadonlyMap<string, CustomFieldDefinition>) =>
  (LIST_FIELDS as readonly string[]).includes(field) || (field.startsWith('customFields.') && definitions.get(field.slice('customFields.'.length))?.type === 'multiselect');

/** What each column of a customer file feeds (customer fields, consent topics, the tenant's custom fields). */
export function customerColumnTargets(header: readonly string[], mapping: Readonly<Record<string, string>> | null, definitions: readonly CustomFieldDefinition[]): ColumnTarget[] {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  return mappedTargets(header, mapping, {
    known: (field) => isKnownField(field, byKey),
    isList: (field) => isList(field, byKey),
    fieldsHint: `${[...CUSTOMER_COLUMNS].join(', ')}, consent.<topic>, customFields.<key> (GET /custom-fields)`,
    required: [{ anyOf: ['name', 'id'], message: 'No column feeds name, which every customer has' }],
  });
}

/** A row the import can write: the input POST /customers takes, and the existing customer it names. */
export interface CustomerRow {
  input: CreateCustomerInput;
  /** The `id` column: this row is that customer. */
  id: string | null;
  /** The `ownerId` column: a user id or email, resolved by the writer. */
  owner: string | null;
  /** The fields the row has a value for: an update changes those alone. */
  given: (keyof CreateCustomerInput)[];
}



/** A cell as the type its field takes; undefined: not a value of that type (the schema then names the column). */
function customFieldValue(cell: string, definition: CustomFieldDefinition | undefined): unknown {
  switch (definition?.type) {
    case 'number': {
      const n = Number(cell.replace(/\s/g, ''));
      return Number.isFinite(n) ? n : cell;
    }
    case 'boolean':
      return yesNo(cell) ?? cell;
    case 'multiselect':
      return splitList(cell);
    default:
      return cell;
  }
}

const splitList = (cell: string) => cell.split(LIST_SEPARATOR).map((v) => v.trim()).filter((v) => v.length > 0);

/**
 * One data row as a customer, checked as POST /customers checks its body: each error names the
 * CSV column it came from. Empty cells are absent values.
 */
export function customerRow(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[], definitions: readonly CustomFieldDefinition[]): RowCheck<CustomerRow> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const body: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const consent: Record<string, unknown> = {};
  const customFields: Record<string, unknown> = {};
  const columnOf = new Map<string, string>();
  const errors: { column: string; message: string }[] = [];
  let id: string | null = null;
  let owner: string | null = null;
  targets.forEach((field, index) => {
    // An exported cell that a spreadsheet would run as a formula carries a quote: taken off here.
    const cell = restoreCell((cells[index] ?? '').trim());
    if (field === null) return;
    const column = header[index] ?? `column ${index + 1}`;
    // Errors name the column a field came from, an empty one too (a name left blank).
    if (cell !== '' || !columnOf.has(field.split('.').slice(0, 2).join('.'))) columnOf.set(field.split('.').slice(0, 2).join('.'), column);
    if (cell === '') return;
    if (field === 'id') id = cell;
    else if (field === 'ownerId') owner = cell;
    else if ((LIST_FIELDS as readonly string[]).includes(field)) body[field] = [...((body[field] as string[] | undefined) ?? []), ...splitList(cell)];
    else if (field.startsWith('address.')) address[field.slice('address.'.length)] = cell;
    else if (field.startsWith('consent.')) {
      const granted = yesNo(cell);
      if (granted !== undefined) consent[field.slice('consent.'.length)] = granted;
      else errors.push({ column, message: `Expected yes or no (true/false, 1/0, opt-in/opt-out), not "${cell.slice(0, 40)}"` });
    } else if (field.startsWith('customFields.')) {
      const key = field.slice('customFields.'.length);
      const value = customFieldValue(cell, byKey.get(key));
      customFields[key] = Array.isArray(value) && Array.isArray(customFields[key]) ? [...(customFields[key] as unknown[]), ...value] : value;
    } else body[field] = cell;
  });
  if (Object.keys(address).length > 0) body.address = address;
  if (Object.keys(consent).length > 0) body.consent = consent;
  if (Object.keys(customFields).length > 0) body.customFields = customFields;
  const given = Object.keys(body) as (keyof CreateCustomerInput)[];
  // A row naming an existing customer needs no name: it is matched, not created from nothing.
  if (id !== null && body.name === undefined) body.name = '-';
  const columnFor = (path: string) => columnOf.get(path.split('.').slice(0, 2).join('.')) ?? columnOf.get(path.split('.')[0] ?? '') ?? path;
  const parsed = createCustomerInput.safeParse(body);
  if (!parsed.success) for (const e of fieldErrors(parsed.error)) errors.push({ column: columnFor(e.path || 'name'), message: e.message });
  if (parsed.success && parsed.data.customFields) {
    try {
      checkCustomFieldChanges(parsed.data.customFields, definitions);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      for (const e of error.errors) errors.push({ column: columnFor(e.path), message: e.message });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, row: { input: parsed.data, id, owner, given } };
}

/** A customer as the cells of `columns` (CUSTOMER_COLUMNS, then consent.<topic> and customFields.<key> columns). */
export function customerCells(customer: Customer, columns: readonly string[]): string[] {
  return columns.map((column) => {
    if (column.startsWith('address.')) return String(customer.address?.[column.slice('address.'.length) as keyof NonNullable<Customer['address']>] ?? '');
    if (column.startsWith('consent.')) {
      const record = customer.consent[column.slice('consent.'.length)];
      return record ? (record.granted ? 'yes' : 'no') : '';
    }
    if (column.startsWith('customFields.')) {
      const value = customer.customFields[column.slice('customFields.'.length)];
      return Array.isArray(value) ? value.join(`${LIST_SEPARATOR} `) : value === undefined || value === null ? '' : String(value);
    }
    const value = (customer as unknown as Record<string, unknown>)[column];
    return Array.isArray(value) ? value.join(`${LIST_SEPARATOR} `) : value === undefined || value === null ? '' : String(value);
  });
}
