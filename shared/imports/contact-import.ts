import { type AddContactInput, addContactInput, applyContactPatch, type Contact, type ContactPatch, newContact } from '../contacts/contact';
import type { ContactRepository } from '../contacts/contact-repository';
import { TransactionConditionFailed } from '../aws/transact-write';
import { normalizeDomain, normalizeEmail } from '../customers/contact-points';
import { canWrite, type Customer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { CONSENT_TOPIC } from '../consent/consent-check';
import { CustomerNotFound, StaleVersion } from '../errors';
import { fieldErrors } from '../field-errors';
import { restoreCell } from '../files/formula-cells';
import { derivedId } from '../ids';
import type { ImportJob } from './import-job';
import {
  type ColumnTarget,
  columnOf,
  dryRunOutcome,
  duplicateRow,
  type EntityImport,
  failedRow,
  importer,
  mappedTargets,
  type PreparedRow,
  type RowCheck,
  type RowContext,
  type RowResult,
  wavesBy,
  yesNo,
} from './import-rows';
import { LIST_SEPARATOR } from './customer-columns';

/**
 * Contacts, the people at a company customer (docs/integrations.md, "Contacts"): `name`, `title`,
 * `emails`, `phones`, `consent.<topic>`, and which company: `customerId` or `companyDomain` (its
 * domain or website, found through the company's domain guard). A contact with an email the
 * company's contacts already have, or an earlier row of the file for the same company, is a
 * duplicate. Written through the contacts repository as `POST /customers/{id}/contacts` writes
 * them (the company checked live in the same transaction), with an id derived from the row.
 */

const SCALAR = ['name', 'title', 'customerId', 'companyDomain'] as const;
const LISTS = ['emails', 'phones'] as const;

export interface ContactRow {
  input: AddContactInput;
  company: { customerId: string } | { domain: string };
  given: (keyof AddContactInput)[];
}

export interface ContactRowDeps {
  contacts: Pick<ContactRepository, 'add' | 'list' | 'replace'>;
  customers: Pick<CustomerRepository, 'get' | 'holderOf'>;
}

const known = (field: string) => (SCALAR as readonly string[]).includes(field) || (LISTS as readonly string[]).includes(field) || (field.startsWith('consent.') && CONSENT_TOPIC.test(field.slice('consent.'.length)));

const contactColumnTargets = (header: readonly string[], mapping: Readonly<Record<string, string>> | null) =>
  mappedTargets(header, mapping, {
    known,
    isList: (field) => (LISTS as readonly string[]).includes(field),
    fieldsHint: `${[...SCALAR, ...LISTS].join(', ')}, consent.<topic>`,
    required: [
      { anyOf: ['name'], message: 'No column feeds name, which every contact has' },
      { anyOf: ['customerId', 'companyDomain'], message: 'No column names the company: customerId, or companyDomain (its domain or website)' },
    ],
  });


function contactRow(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[]): RowCheck<ContactRow> {
  const body: Record<string, unknown> = {};
  const consent: Record<string, boolean> = {};
  const columnOfField = new Map<string, string>();
  const errors: { column: string; message: string }[] = [];
  let customerId: string | undefined;
  let domain: string | undefined;
  targets.forEach((field, index) => {
    if (field === null) return;
    const column = header[index] ?? `column ${index + 1}`;
    const cell = restoreCell((cells[index] ?? '').trim());
    if (cell !== '' || !columnOfField.has(field)) columnOfField.set(field.split('.')[0]!, column);
    if (cell === '') return;
    if (field === 'customerId') customerId = cell;
    else if (field === 'companyDomain') {
      domain = normalizeDomain(cell);
      if (!domain) errors.push({ column, message: 'Expected a web domain or website such as example.com' });
    } else if ((LISTS as readonly string[]).includes(field)) body[field] = [...((body[field] as string[] | undefined) ?? []), ...cell.split(LIST_SEPARATOR).map((v) => v.trim()).filter(Boolean)];
    else if (field.startsWith('consent.')) {
      const granted = yesNo(cell);
      if (granted !== undefined) consent[field.slice('consent.'.length)] = granted;
      else errors.push({ column, message: `Expected yes or no (true/false, 1/0, opt-in/opt-out), not "${cell.slice(0, 40)}"` });
    } else body[field] = cell;
  });
  if (Object.keys(consent).length > 0) body.consent = consent;
  if (customerId === undefined && domain === undefined && !errors.some((e) => e.column === columnOfField.get('companyDomain'))) {
    errors.push({ column: columnOfField.get('customerId') ?? columnOfField.get('companyDomain') ?? 'customerId', message: 'Name the company: its customerId or its domain' });
  }
  const given = Object.keys(body) as (keyof AddContactInput)[];
  const parsed = addContactInput.safeParse(body);
  if (!parsed.success) for (const e of fieldErrors(parsed.error)) errors.push({ column: columnOfField.get(e.path.split('.')[0] || 'name') ?? e.path, message: e.message });
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, row: { input: parsed.data, company: customerId !== undefined ? { customerId } : { domain: domain! }, given } };
}

const companyKey = (row: ContactRow) => ('customerId' in row.company ? `id:${row.company.customerId}` : `domain:${row.company.domain}`);
const emailKeys = (row: ContactRow) => (row.input.emails ?? []).map((e) => `${companyKey(row)}|${normalizeEmail(e)}`);

type Row = PreparedRow<ContactRow>;

/** The company a row names, read once per batch (and per dry run) for all its rows. */
class Companies {
  private readonly found = new Map<string, Promise<{ customer: Customer; contacts: Contact[] } | undefined>>();
  constructor(
    private readonly deps: ContactRowDeps,
    private readonly tenantId: string,
  ) {}

  of(row: ContactRow) {
    const key = companyKey(row);
    let found = this.found.get(key);
    if (!found) this.found.set(key, (found = this.load(row)));
    return found;
  }

  private async load(row: ContactRow) {
    const id = 'customerId' in row.company ? row.company.customerId : await this.deps.customers.holderOf(this.tenantId, 'domain', row.company.domain);
    const customer = id === undefined ? undefined : await this.deps.customers.get(this.tenantId, id);
    if (!customer || customer.mergedInto || customer.erasedAt) return undefined;
    return { customer, contacts: await this.deps.contacts.list(this.tenantId, customer.id) };
  }
}

/** Batches read their companies through one cache per batch, keyed by the row context. */
const batchCompanies = new WeakMap<RowContext, Companies>();

function companyProblem(job: ImportJob, row: Row, company: Customer | undefined): RowResult | undefined {
  const column = columnOf(job, 'customerId' in row.company ? 'customerId' : 'companyDomain');
  if (!company) return failedRow(row, column, 'customerId' in row.company ? `No customer ${row.company.customerId}` : `No company has the domain ${row.company.domain}`);
  if (company.kind !== 'company') return failedRow(row, column, `Customer ${company.id} is a person: contacts belong to companies`);
  if (!canWrite(importer(job), company)) return failedRow(row, column, `The importer may not change customer ${company.id}`);
  return undefined;
}

const existingContact = (contacts: readonly Contact[], row: ContactRow) => {
  const emails = new Set((row.input.emails ?? []).map(normalizeEmail));
  return contacts.find((c) => c.emails.some((e) => emails.has(normalizeEmail(e))));
};

async function writeContactRow(deps: ContactRowDeps, context: RowContext, row: Row): Promise<RowResult> {
  const { job } = context;
  let companies = batchCompanies.get(context);
  if (!companies) batchCompanies.set(context, (companies = new Companies(deps, job.tenantId)));
  const found = await companies.of(row);
  const problem = companyProblem(job, row, found?.customer);
  if (problem || !found) return problem!;
  const id = derivedId(job.id, 'contact', row.row);
  const existing = existingContact(found.contacts, row);
  if (existing && existing.id !== id) {
    const why = `Duplicate: contact ${existing.id} of customer ${found.customer.id} has this email`;
    if (job.options.onDuplicate === 'skip') return duplicateRow(row, 'skipped', `${why}; left as it is`, existing.id, found.customer.ownerId);
    if (job.options.onDuplicate === 'report') return duplicateRow(row, 'failed', why, existing.id, found.customer.ownerId);
    const patch = Object.fromEntries(row.given.map((f) => [f, row.input[f]])) as ContactPatch;
    const { after, changed } = applyContactPatch(existing, patch, importer(job), context.nowIso);
    if (!changed) return { outcome: 'updated' };
    try {
      await deps.contacts.replace(job.tenantId, after, existing.version);
      return { outcome: 'updated' };
    } catch (error) {
      if (error instanceof StaleVersion) return duplicateRow(row, 'failed', `${why}; it changed meanwhile: import the row again`, existing.id, found.customer.ownerId);
      throw error;
    }
  }
  if (existing) return { outcome: 'created', ownerId: null };
  const contact = newContact(row.input, importer(job), found.customer.id, id, context.nowIso);
  try {
    await deps.contacts.add(job.tenantId, contact);
  } catch (error) {
    if (error instanceof CustomerNotFound) return failedRow(row, columnOf(job, 'customerId' in row.company ? 'customerId' : 'companyDomain'), `Customer ${found.customer.id} is gone`);
    // The contact of this row's id is there: an earlier attempt wrote it.
    if (!(error instanceof TransactionConditionFailed)) throw error;
  }
  found.contacts.push(contact);
  return { outcome: 'created', ownerId: null };
}

async function wouldBeContactDuplicates(deps: ContactRowDeps, job: ImportJob, rows: readonly Row[]): Promise<RowResult[]> {
  const companies = new Companies(deps, job.tenantId);
  const earlier = new Map<string, number>();
  const results: RowResult[] = [];
  for (const row of rows) {
    const found = await companies.of(row);
    const problem = companyProblem(job, row, found?.customer);
    if (problem || !found) {
      results.push(problem!);
      continue;
    }
    const existing = existingContact(found.contacts, row);
    const sameFile = emailKeys(row).map((k) => earlier.get(k)).find((n) => n !== undefined);
    for (const k of emailKeys(row)) if (!earlier.has(k)) earlier.set(k, row.row);
    const why = existing ? `contact ${existing.id} of customer ${found.customer.id} has this email` : sameFile !== undefined ? `the email is also on row ${sameFile} of the file` : undefined;
    results.push(dryRunOutcome(job, row, why === undefined ? undefined : { why, existingId: existing?.id ?? '', ownerId: found.customer.ownerId }));
  }
  return results;
}

export const contactImport: EntityImport<ContactRow, ContactRowDeps> = {
  targets: (header, mapping) => contactColumnTargets(header, mapping),
  check: (cells, header, targets) => contactRow(cells, header, targets),
  waves: (rows) => wavesBy(rows, emailKeys),
  write: writeContactRow,
  dryRun: wouldBeContactDuplicates,
};

/** The columns an export of contacts writes: the company by id, the contact's fields, a column per consent topic any of them has. */
export function contactColumns(contacts: readonly Contact[]): string[] {
  const topics = new Set(contacts.flatMap((c) => Object.keys(c.consent)));
  return ['customerId', 'name', 'title', 'emails', 'phones', ...[...topics].sort().map((t) => `consent.${t}`)];
}

/** A contact as the cells of `columns` (lists joined by `; `, consent as yes/no). */
export function contactCells(contact: Contact, columns: readonly string[]): string[] {
  return columns.map((column) => {
    if (column.startsWith('consent.')) {
      const record = contact.consent[column.slice('consent.'.length)];
      return record ? (record.granted ? 'yes' : 'no') : '';
    }
    const value = contact[column as 'customerId' | 'name' | 'title' | 'emails' | 'phones'];
    return Array.isArray(value) ? value.join(`${LIST_SEPARATOR} `) : (value ?? '');
  });
}
