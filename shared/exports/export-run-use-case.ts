import { busEventSchema } from '../../events/envelope';
import { exportCompletedV1 } from '../../events/exports/export-completed.v1';
import { exportRequestedV1 } from '../../events/exports/export-requested.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import { canRead, type Customer } from '../customers/customer';
import { type ListPlan, planCustomerList } from '../customers/customer-list-query';
import type { CustomerPage } from '../customers/customer-list-repository';
import { DomainError } from '../errors';
import { fileKeys } from '../files/file-keys';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import type { Segment } from '../segments/segment';
import type { SegmentCustomerReader } from '../segments/segment-repository';
import { evaluateSegmentPage } from '../segments/segment-use-cases';
import { CustomerSpool } from './customer-spool';
import { exportBody, exportColumns, fileBody } from './export-file';
import { contactCells, contactColumns } from '../imports/contact-import';
import { LEAD_COLUMNS, leadCells } from '../imports/lead-import';
import type { Contact } from '../contacts/contact';
import type { ContactRepository } from '../contacts/contact-repository';
import { productCells, productColumns } from '../imports/product-import';
import { DEAL_COLUMNS, dealCells } from '../imports/deal-columns';
import type { Deal } from '../deals/deal';
import { DEAL_PAGE_SIZE, everyDealPlans } from '../deals/deal-list-query';
import type { DealLister } from '../deals/deal-list-repository';
import type { DealRepository } from '../deals/deal-repository';
import type { PipelineRepository } from '../pipelines/pipeline-repository';
import { canReadLead, type Lead, LEAD_STATUSES } from '../leads/lead';
import type { LeadRepository } from '../leads/lead-repository';
import type { Product } from '../products/product';
import type { ProductRepository } from '../products/product-repository';
import { contentTypeOf, type ExportJob, listQueryOf, MAX_EXPORT_ROWS, mayStart, requesterOf } from './export-job';
import type { ExportRepository } from './export-repository';

/** Index items per Query of a run: one page of a list or a segment, well under 1 MB of profiles. */
export const EXPORT_READ_PAGE = 500;

export interface ExportRunDeps {
  exports: Pick<ExportRepository, 'get' | 'start' | 'complete' | 'fail'>;
  customers: { page(plan: ListPlan, caller: Caller, cursor: string | undefined): Promise<CustomerPage> };
  segments: { get(tenantId: string, segmentId: string): Promise<Segment | undefined> };
  segmentReader: Pick<SegmentCustomerReader, 'read' | 'contactsOf'>;
  customFields: CustomFieldCatalog;
  files: { write(key: string, body: Buffer, contentType: string): Promise<void> };
  products: Pick<ProductRepository, 'list'>;
  leads: Pick<LeadRepository, 'listByStatus'>;
  contacts: Pick<ContactRepository, 'list'>;
  deals: Pick<DealRepository, 'ofCustomer'>;
  dealLists: Pick<DealLister, 'page'>;
  pipelines: Pick<PipelineRepository, 'list'>;
  /** Where a run spools its customers (the function's /tmp). */
  spoolDir: string;
}

export type ExportRunResult = { status: 'completed'; rows: number } | { status: 'failed'; reason: string } | { status: 'skipped' | 'superseded' };

/** Why a run ends the job as failed; the message is the requester's to read. */
class ExportRefused extends Error {}

/**
 * Rule target on `crm.export.requested.v1`: takes the job, reads what its requester may see (the
 * filter's or segment's customers, as GET /customers and the segment preview read them, each
 * checked with `canRead`), writes the file and completes the job with `crm.export.completed.v1`.
 * A redelivered event finds the job finished and does nothing; a retry after a crash writes the
 * whole file again. Refusals (the segment deleted, too many rows) fail the job with the reason;
 * anything else is thrown, for Lambda's retries and then the dead-letter queue.
 */
export async function runExport(deps: ExportRunDeps, event: unknown): Promise<ExportRunResult> {
  const detail = exportRequestedV1.schema.parse(busEventSchema.parse(event).detail);
  const queued = await deps.exports.get(detail.tenantId, detail.data.requestedBy, detail.data.exportId);
  if (!queued || !mayStart(queued)) return { status: 'skipped' };
  const runId = newId();
  const job = await deps.exports.start(queued, runId, clock.nowIso());
  if (!job) return { status: 'skipped' };
  const spool = await CustomerSpool.open(deps.spoolDir, runId);
  try {
    let rows: number;
    if (job.entity === 'products') {
      const products = await catalogue(deps, job.tenantId);
      const columns = productColumns(products);
      await deps.files.write(fileKeys.export(job.tenantId, job.id, job.format), await fileBody(job.format, columns, cellsOf(products, (p) => productCells(p, columns))), contentTypeOf(job.format));
      rows = products.length;
    } else if (job.entity === 'contacts') {
      const contacts = await contactsOfSelection(deps, job);
      const columns = contactColumns(contacts);
      await deps.files.write(fileKeys.export(job.tenantId, job.id, job.format), await fileBody(job.format, columns, cellsOf(contacts, (c) => contactCells(c, columns))), contentTypeOf(job.format));
      rows = contacts.length;
    } else if (job.entity === 'deals') {
      const deals = await dealsOfSelection(deps, job);
      await deps.files.write(fileKeys.export(job.tenantId, job.id, job.format), await fileBody(job.format, DEAL_COLUMNS, cellsOf(deals, dealCells)), contentTypeOf(job.format));
      rows = deals.length;
    } else if (job.entity === 'leads') {
      const leads = await visibleLeads(deps, job);
      await deps.files.write(fileKeys.export(job.tenantId, job.id, job.format), await fileBody(job.format, LEAD_COLUMNS, cellsOf(leads, leadCells)), contentTypeOf(job.format));
      rows = leads.length;
    } else {
      for await (const customers of selectedCustomers(deps, job)) {
        await spool.add(customers);
        if (spool.size > MAX_EXPORT_ROWS) throw new ExportRefused(`More than ${MAX_EXPORT_ROWS.toLocaleString('en')} customers: narrow the filter, or export segment by segment`);
      }
      const definitions = await deps.customFields.list(job.tenantId, 'customer');
      const body = await exportBody(job.format, exportColumns(definitions, spool.consentTopics), spool.read());
      await deps.files.write(fileKeys.export(job.tenantId, job.id, job.format), body, contentTypeOf(job.format));
      rows = spool.size;
    }
    const completed = newEvent(exportCompletedV1, { tenantId: job.tenantId, actor: { type: 'system', id: 'exports' }, correlationId: detail.correlationId }, {
      exportId: job.id,
      requestedBy: job.requestedBy,
      entity: job.entity,
      format: job.format,
      rows,
      selection: job.selection.kind,
    });
    const won = await deps.exports.complete(job, runId, rows, clock.nowIso(), { detailType: exportCompletedV1.detailType, detail: completed });
    return won ? { status: 'completed', rows } : { status: 'superseded' };
  } catch (error) {
    if (!(error instanceof ExportRefused || error instanceof DomainError)) throw error;
    const won = await deps.exports.fail(job, runId, error.message, clock.nowIso());
    return won ? { status: 'failed', reason: error.message } : { status: 'superseded' };
  } finally {
    await spool.remove();
  }
}

/** The tenant's whole product catalogue (every signed-in user reads it through GET /products). */
async function catalogue(deps: ExportRunDeps, tenantId: string): Promise<Product[]> {
  const products: Product[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.products.list(tenantId, 100, cursor);
    products.push(...page.items);
    if (products.length > MAX_EXPORT_ROWS) throw new ExportRefused(`More than ${MAX_EXPORT_ROWS.toLocaleString('en')} products`);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return products;
}

async function* cellsOf<T>(records: readonly T[], cells: (record: T) => string[]): AsyncGenerator<string[]> {
  for (const record of records) yield cells(record);
}

/** The contacts of the selected companies the requester may see: one Query of each company's contact range. */
async function contactsOfSelection(deps: ExportRunDeps, job: ExportJob): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for await (const customers of selectedCustomers(deps, job)) {
    for (const company of customers.filter((c) => c.kind === 'company')) {
      contacts.push(...(await deps.contacts.list(job.tenantId, company.id)));
      if (contacts.length > MAX_EXPORT_ROWS) throw new ExportRefused(`More than ${MAX_EXPORT_ROWS.toLocaleString('en')} contacts: narrow the filter, or export segment by segment`);
    }
  }
  return contacts;
}

/**
 * Deals: of the customers a segment or filter selects (whoever sees a customer sees its deals),
 * or, with no selection, every deal the requester may list (as GET /deals: a rep their own, a
 * manager their team's, admins all), a page of an index at a time.
 */
async function dealsOfSelection(deps: ExportRunDeps, job: ExportJob): Promise<Deal[]> {
  const deals: Deal[] = [];
  const add = (more: readonly Deal[]) => {
    deals.push(...more);
    if (deals.length > MAX_EXPORT_ROWS) throw new ExportRefused(`More than ${MAX_EXPORT_ROWS.toLocaleString('en')} deals: narrow the filter, or export segment by segment`);
  };
  if (job.selection.kind !== 'all') {
    for await (const customers of selectedCustomers(deps, job)) for (const customer of customers) add(await deps.deals.ofCustomer(job.tenantId, customer.id));
    return deals;
  }
  for (const plan of everyDealPlans(requesterOf(job), await deps.pipelines.list(job.tenantId), DEAL_PAGE_SIZE.max)) {
    let cursor: string | undefined;
    do {
      const page = await deps.dealLists.page(plan, job.tenantId, cursor);
      add(page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
  }
  return deals;
}

/** Every lead the requester may see, status by status (GSI5, as GET /leads lists them), newest first within each. */
async function visibleLeads(deps: ExportRunDeps, job: ExportJob): Promise<Lead[]> {
  const requester = requesterOf(job);
  const leads: Lead[] = [];
  for (const status of LEAD_STATUSES) {
    let startKey: Record<string, string> | undefined;
    do {
      const page = await deps.leads.listByStatus(job.tenantId, status, EXPORT_READ_PAGE, startKey);
      leads.push(...page.items.filter((lead) => canReadLead(requester, lead)));
      if (leads.length > MAX_EXPORT_ROWS) throw new ExportRefused(`More than ${MAX_EXPORT_ROWS.toLocaleString('en')} leads`);
      startKey = page.lastEvaluatedKey as Record<string, string> | undefined;
    } while (startKey !== undefined);
  }
  return leads;
}

/** The job's customers, a page at a time, as its requester may see them. */
async function* selectedCustomers(deps: ExportRunDeps, job: ExportJob): AsyncGenerator<Customer[]> {
  const requester = requesterOf(job);
  if (job.selection.kind === 'segment') {
    const segment = await deps.segments.get(job.tenantId, job.selection.segmentId);
    if (!segment) throw new ExportRefused('The segment was deleted before the export ran');
    if (segment.audience !== 'customers') throw new ExportRefused(`A ${segment.audience} segment selects no customers`);
    // One evaluation time for every page, as campaign audiences do: relative ranges do not drift.
    const nowIso = clock.nowIso();
    let cursor: string | undefined;
    do {
      const page = await evaluateSegmentPage(deps.segmentReader, job.tenantId, segment.definition, { cursor, limit: EXPORT_READ_PAGE, nowIso });
      yield page.customers.filter((c) => canRead(requester, c));
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    return;
  }
  const filter = job.selection.kind === 'filter' ? job.selection.filter : {};
  const plan = planCustomerList(listQueryOf(filter), requester);
  const paged: ListPlan = plan.kind === 'query' ? { ...plan, limit: EXPORT_READ_PAGE } : plan;
  let cursor: string | undefined;
  do {
    const page = await deps.customers.page(paged, requester, cursor);
    yield page.items;
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}
