import { customerCreatedV1 } from '../../events/customer-created.v1';
import type { OwnershipChange } from '../allocation/ownership-history';
import { type UniqueValue, uniqueValues } from '../customers/contact-points';
import { applyPatch, canWrite, type CreateCustomerInput, type Customer, type CustomerPatch, newCustomer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { customerCreatedData } from '../customers/customer-use-cases';
import { DuplicateCustomer, StaleVersion } from '../errors';
import { derivedId } from '../ids';
import { newEvent } from '../outbox/outbox';
import type { DirectoryUser } from '../users/user';
import { type CustomerRow, customerColumnTargets, customerRow } from './customer-columns';
import { type CustomerRowRepository, uniqueKey } from './customer-row-repository';
import type { ImportJob } from './import-job';
import { columnOf, dryRunOutcome, duplicateRow, type EntityImport, failedRow as failed, importer, type PreparedRow as Prepared, type RowContext, type RowResult, rowOwner, wavesBy } from './import-rows';

type PreparedRow = Prepared<CustomerRow>;

export interface CustomerRowDeps {
  rows: CustomerRowRepository;
  customers: Pick<CustomerRepository, 'get' | 'update'>;
  users: { all(tenantId: string): Promise<DirectoryUser[]> };
}

/** Attempts at an update that lost a race with another edit of the same customer. */
const UPDATE_ATTEMPTS = 3;


/**
 * A new customer for a row: the importer enters it (createdBy), owned by the row's owner if it
 * names one (assigned now, its reclaim clock starting), with ids derived from the import and the
 * row. The welcome event only when the import asked for ordinary creations.
 */
function rowCustomer(context: RowContext, row: PreparedRow, owner: DirectoryUser | undefined): { customer: Customer; history?: OwnershipChange; events: { detailType: string; detail: { id: string } }[] } {
  const { job, nowIso } = context;
  const id = derivedId(job.id, 'customer', row.row);
  const base = newCustomer(row.input, importer(job), id, nowIso);
  const customer: Customer = owner ? { ...base, ownerId: owner.userId, teamId: owner.teamId, assignedAt: nowIso, reclaimCheckAt: nowIso } : { ...base, ownerId: null, teamId: null, assignedAt: null, reclaimCheckAt: null };
  const actor = { type: 'user' as const, id: job.createdBy };
  const history: OwnershipChange | undefined = owner
    ? { id: derivedId(job.id, 'history', row.row), customerId: id, from: null, to: owner.userId, poolId: null, reason: 'created', note: `import ${job.id}`, actor, at: nowIso }
    : undefined;
  if (!job.options.sendWelcome) return { customer, history, events: [] };
  const detail = newEvent(customerCreatedV1, { tenantId: job.tenantId, actor, correlationId: `import-${job.id}` }, customerCreatedData(customer));
  return { customer, history, events: [{ detailType: customerCreatedV1.detailType, detail: { ...detail, id: derivedId(job.id, 'event', row.row) } }] };
}

/**
 * Writes one row (docs/integrations.md, "How a row is written"). A row naming an existing
 * customer (`id`), or whose email, phone or domain another customer holds, is a duplicate: left
 * as it is (`skip`), reported as failed (`report`), or updated with the row's values (`update`,
 * when the importer may change that customer). Never a second customer.
 */
export async function writeCustomerRow(deps: CustomerRowDeps, context: RowContext, row: PreparedRow): Promise<RowResult> {
  const { job } = context;
  const resolved = rowOwner(job, context.users, row);
  if ('failed' in resolved) return resolved.failed;
  const { owner } = resolved;
  if (row.id !== null) {
    const existing = await deps.customers.get(job.tenantId, row.id);
    if (!existing || existing.mergedInto || existing.erasedAt) return failed(row, columnOf(job, 'id'), `No customer ${row.id}`);
    return duplicate(deps, context, row, existing, `is customer ${existing.id}`);
  }
  const { customer, history, events } = rowCustomer(context, row, owner);
  const outcome = await deps.rows.create(customer, history, events);
  if (outcome.written) return { outcome: 'created', ownerId: customer.ownerId };
  const why = `${outcome.taken.field} ${outcome.taken.value} belongs to customer ${outcome.holderId}`;
  const existing = await holder(deps, job.tenantId, outcome.holderId);
  if (existing) return duplicate(deps, context, row, existing, why);
  // The holder is still being written (another batch's row, a request): a duplicate all the same.
  if (job.options.onDuplicate === 'update') return failed(row, columnOf(job, fieldOf(outcome.taken)), `Not updated: ${why}, which is still being written; import the row again`);
  return duplicateRow(row, job.options.onDuplicate === 'skip' ? 'skipped' : 'failed', `Duplicate: ${why}`, outcome.holderId, null);
}

/** Reads of a guard's holder while its writer may still be between guard and profile (milliseconds). */
const HOLDER_READS = 4;

async function holder(deps: CustomerRowDeps, tenantId: string, customerId: string): Promise<Customer | undefined> {
  for (let read = 1; ; read++) {
    const found = await deps.customers.get(tenantId, customerId);
    if (found || read >= HOLDER_READS) return found;
    await new Promise((resolve) => setTimeout(resolve, 25 * read));
  }
}

/** A batch's rows in waves by their emails, phones and domain (an `id` row by its id), so the first row of the file wins. */
export function rowWaves(rows: readonly PreparedRow[], job: ImportJob): PreparedRow[][] {
  return wavesBy(rows, (row) => (row.id === null ? uniqueValues(newCustomer(row.input, importer(job), 'wave', '1970-01-01T00:00:00.000Z')).map(uniqueKey) : [`id:${row.id}`]));
}

const fieldOf = (u: UniqueValue) => (u.field === 'email' ? 'emails' : u.field === 'phone' ? 'phones' : 'domain');

async function duplicate(deps: CustomerRowDeps, context: RowContext, row: PreparedRow, existing: Customer, why: string): Promise<RowResult> {
  const { job } = context;
  const reject = (outcome: 'failed' | 'skipped', message: string): RowResult => duplicateRow(row, outcome, message, existing.id, existing.ownerId);
  if (job.options.onDuplicate === 'skip') return reject('skipped', `Duplicate: ${why}; left as it is`);
  if (job.options.onDuplicate === 'report') return reject('failed', `Duplicate: ${why}`);
  if (!canWrite(importer(job), existing)) return reject('failed', `Duplicate: ${why}, which the importer may not change`);
  return update(deps, context, row, existing, reject);
}

/** The row's values over the existing customer's, as PATCH /customers/{id} would set them (without events: an import does not flood). */
async function update(deps: CustomerRowDeps, context: RowContext, row: PreparedRow, found: Customer, reject: (outcome: 'failed', message: string) => RowResult): Promise<RowResult> {
  const patch = Object.fromEntries(row.given.map((field) => [field, row.input[field]])) as CustomerPatch & Partial<CreateCustomerInput>;
  delete (patch as Partial<CreateCustomerInput>).kind;
  let before = found;
  for (let attempt = 1; ; attempt++) {
    const { after, changed } = applyPatch(before, patch, importer(context.job), context.nowIso);
    // Unchanged counts as updated: the row's values are the customer's (a resumed batch finds its own update so).
    if (changed.length === 0) return { outcome: 'updated' };
    try {
      await deps.customers.update(before, after, []);
      return { outcome: 'updated' };
    } catch (error) {
      if (error instanceof DuplicateCustomer) return reject('failed', `Not updated: ${error.message}`);
      if (!(error instanceof StaleVersion) || attempt >= UPDATE_ATTEMPTS) throw error;
      const current = await deps.customers.get(context.job.tenantId, found.id);
      if (!current) return reject('failed', `Customer ${found.id} is gone`);
      before = current;
    }
  }
}

/**
 * What a run would do with the valid rows, writing nothing (a dry run): a row whose email, phone
 * or domain a customer holds, or an earlier row of the file claims, is a duplicate; an `id` row
 * is one by definition. Duplicates count as the options say (an update counts as written).
 */
export async function wouldBeDuplicates(deps: Pick<CustomerRowDeps, 'rows' | 'customers' | 'users'>, job: ImportJob, rows: readonly PreparedRow[]): Promise<RowResult[]> {
  const users = await deps.users.all(job.tenantId);
  const claimedBy = new Map<string, number>();
  const nowIso = new Date(0).toISOString();
  const valuesOf = (row: PreparedRow) => uniqueValues(newCustomer(row.input, importer(job), 'dry-run', nowIso));
  const holders = await deps.rows.holders(job.tenantId, rows.filter((r) => r.id === null).flatMap(valuesOf));
  return rows.map((row) => {
    const resolved = rowOwner(job, users, row);
    if ('failed' in resolved) return resolved.failed;
    if (row.id !== null) return dryRunOutcome(job, row, { why: `is customer ${row.id}`, existingId: row.id });
    for (const value of valuesOf(row)) {
      const holder = holders.get(uniqueKey(value));
      const earlier = claimedBy.get(uniqueKey(value));
      if (holder) return dryRunOutcome(job, row, { why: `${value.field} ${value.value} belongs to customer ${holder}`, existingId: holder });
      if (earlier !== undefined) return dryRunOutcome(job, row, { why: `${value.field} ${value.value} is also on row ${earlier} of the file`, existingId: '' });
    }
    for (const value of valuesOf(row)) claimedBy.set(uniqueKey(value), row.row);
    return dryRunOutcome(job, row);
  });
}

/** Customers: the first entity an import takes. */
export const customerImport: EntityImport<CustomerRow, CustomerRowDeps> = {
  targets: customerColumnTargets,
  check: customerRow,
  waves: rowWaves,
  write: writeCustomerRow,
  dryRun: wouldBeDuplicates,
};
