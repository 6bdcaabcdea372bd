import { named, type NamedItem } from '../aws/transact-write';
import { canWrite, type Customer } from '../customers/customer';
import type { CustomerRepository } from '../customers/customer-repository';
import { assertMayOwn, type Deal, type DealFactChange, type DealOwner, newDeal } from '../deals/deal';
import { boardDelta, dealHistoryItem, dealItem, outboxPuts, profileWrite } from '../deals/deal-items';
import type { DealRepository } from '../deals/deal-repository';
import { customerAfterDeal, dealCreatedEvent, transitionEvents } from '../deals/deal-use-cases';
import { clock } from '../clock';
import { Forbidden } from '../errors';
import { derivedId } from '../ids';
import type { Pipeline } from '../pipelines/pipeline';
import type { PipelineRepository } from '../pipelines/pipeline-repository';
import type { DirectoryUser } from '../users/user';
import { type CustomerRef, type DealRow, dealColumns } from './deal-columns';
import type { ImportJob } from './import-job';
import { columnOf, dryRunOutcome, duplicateAsAsked, type EntityImport, failedRow, importer, type PreparedRow, type RowContext, type RowResult, rowOwner, wavesBy } from './import-rows';

/**
 * Deals (docs/integrations.md, "Deals"): each row a deal of an existing customer, written as
 * `POST /deals` writes one (the deal, its history entry and the customer's deal facts in one
 * transaction, the profile at the version read) with an id derived from the row. Two things
 * differ, both for a file of many deals: a closed deal comes in closed (`status`, `closedAt`,
 * `closeReason`), and the board's per-column counters are added once per batch, with the batch's
 * progress item, instead of in every row's transaction (they are one item per column, which every
 * row would contend for). A deal of the same customer, pipeline and name (or the deal an `id`
 * names) is a duplicate: skipped or reported; an import does not update deals.
 */

export interface DealRowDeps {
  deals: Pick<DealRepository, 'get' | 'ofCustomer' | 'commit' | 'tableName'>;
  customers: Pick<CustomerRepository, 'get' | 'holderOf'>;
  pipelines: Pick<PipelineRepository, 'list'>;
  users: { all(tenantId: string): Promise<DirectoryUser[]> };
}

type Row = PreparedRow<DealRow>;

/** Rounds of a row whose customer changed between its read and its write (as POST /deals). */
const MAX_ROUNDS = 4;

const customerKey = (ref: CustomerRef) => ('customerId' in ref ? `id:${ref.customerId}` : 'email' in ref ? `email:${ref.email}` : `domain:${ref.domain}`);
const customerColumn = (ref: CustomerRef) => ('customerId' in ref ? 'customerId' : 'email' in ref ? 'customerEmail' : 'customerDomain');
const sameDeal = (deal: Pick<Deal, 'pipelineId' | 'name'>, pipelineId: string, name: string) => deal.pipelineId === pipelineId && deal.name.trim().toLowerCase() === name.trim().toLowerCase();

/** What a row needs resolved before its deal can be built: its customer, pipeline, stage and owner. */
interface Resolved {
  customer: Customer;
  pipeline: Pipeline;
  stageId: string;
  owner: DealOwner;
}

/** A pipeline by id, else by name (case aside); a name two pipelines share names neither. */
function findPipeline(pipelines: readonly Pipeline[], ref: string): Pipeline | undefined {
  const byId = pipelines.find((p) => p.id === ref);
  if (byId) return byId;
  const named = pipelines.filter((p) => p.name.toLowerCase() === ref.toLowerCase());
  return named.length === 1 ? named[0] : undefined;
}

/** A stage by id or name; a closed deal may stay on a stage the pipeline is retiring (it closed from there). */
function findStage(pipeline: Pipeline, ref: string | null, closed: boolean): string | undefined {
  if (ref === null) return pipeline.stages[0]?.id;
  const stages = closed ? [...pipeline.stages, ...(pipeline.retiring ?? [])] : pipeline.stages;
  return (stages.find((s) => s.id === ref) ?? stages.find((s) => s.name.toLowerCase() === ref.toLowerCase()))?.id;
}

async function customerOf(deps: DealRowDeps, tenantId: string, ref: CustomerRef): Promise<Customer | undefined> {
  const id = 'customerId' in ref ? ref.customerId : await deps.customers.holderOf(tenantId, 'email' in ref ? 'email' : 'domain', 'email' in ref ? ref.email : ref.domain);
  const customer = id === undefined ? undefined : await deps.customers.get(tenantId, id);
  return customer && !customer.mergedInto && !customer.erasedAt ? customer : undefined;
}

/** The row's customer, pipeline, stage and owner, each checked as POST /deals checks them; or the failed row naming the column. */
async function resolve(deps: DealRowDeps, job: ImportJob, users: readonly DirectoryUser[], pipelines: readonly Pipeline[], row: Row, nowIso: string): Promise<Resolved | { failed: RowResult }> {
  const named = rowOwner(job, users, row);
  if ('failed' in named) return named;
  const column = (field: string) => columnOf(job, field);
  if (row.closedAt !== null && row.closedAt > nowIso) return { failed: failedRow(row, column('closedAt'), 'A deal cannot have closed in the future') };
  const customer = await customerOf(deps, job.tenantId, row.customer);
  const refColumn = column(customerColumn(row.customer));
  if (!customer) return { failed: failedRow(row, refColumn, `No customer ${Object.values(row.customer)[0]}`) };
  if (!canWrite(importer(job), customer)) return { failed: failedRow(row, refColumn, `The importer may not open deals for customer ${customer.id}`) };
  const pipeline = findPipeline(pipelines, row.pipeline);
  if (!pipeline) return { failed: failedRow(row, column('pipelineId'), `No pipeline "${row.pipeline}" (an id or name): ${pipelines.map((p) => p.name).join(', ') || 'the tenant has none'}`) };
  const stageId = findStage(pipeline, row.stage, row.status !== 'open');
  if (!stageId) return { failed: failedRow(row, column('stageId'), `No stage "${row.stage}" in pipeline ${pipeline.name}: ${pipeline.stages.map((s) => s.id).join(', ')}`) };
  // As POST /deals: the named owner, else the customer's, else the importer.
  const ownerId = named.owner?.userId ?? customer.ownerId ?? job.createdBy;
  try {
    assertMayOwn(importer(job), ownerId);
  } catch (error) {
    if (!(error instanceof Forbidden)) throw error;
    return { failed: failedRow(row, column('ownerId'), error.message) };
  }
  const teamId = ownerId === customer.ownerId ? customer.teamId : (users.find((u) => u.userId === ownerId)?.teamId ?? null);
  return { customer, pipeline, stageId, owner: { id: ownerId, teamId } };
}

/** The deal a row makes: as POST /deals would, then closed as the row says (without a date: on its expected close date, or now if that is still to come). */
function rowDeal(job: ImportJob, row: Row, resolved: Resolved, nowIso: string): Deal {
  const input = { customerId: resolved.customer.id, pipelineId: resolved.pipeline.id, name: row.name, amount: row.amount, currency: row.currency, expectedCloseDate: row.expectedCloseDate };
  const deal = { ...newDeal(input, resolved.pipeline, resolved.owner, importer(job), derivedId(job.id, 'deal', row.row), nowIso), stageId: resolved.stageId };
  if (row.status === 'open') return deal;
  const expected = `${row.expectedCloseDate}T00:00:00.000Z`;
  return { ...deal, status: row.status, closedAt: row.closedAt ?? (expected < nowIso ? expected : nowIso), closeReason: row.closeReason };
}

/**
 * How an imported deal moves its customer's deal facts: an open one counts as open; a closed one
 * says the customer had an open deal until it closed (and bought then, if won), unless the
 * customer's own dates are later: an old deal never moves them back.
 */
export function importedDealFacts(customer: Pick<Customer, 'lastOpenDealAt' | 'lastWonDealAt'>, deal: Pick<Deal, 'status' | 'closedAt'>): DealFactChange {
  if (deal.status === 'open') return { openDelta: 1, closed: false, won: false };
  const closedAt = deal.closedAt ?? '';
  return { openDelta: 0, closed: closedAt > (customer.lastOpenDealAt ?? ''), won: deal.status === 'won' && closedAt > (customer.lastWonDealAt ?? '') };
}

/** The row's transaction: the customer's profile (at the version read), the deal, its history entry, and its events when asked. */
function rowItems(deps: DealRowDeps, job: ImportJob, row: Row, customer: Customer, deal: Deal, resolved: Resolved, nowIso: string): NamedItem[] {
  const table = deps.deals.tableName;
  const caller = importer(job);
  const correlationId = `import-${job.id}`;
  const transition = deal.status === 'open' ? ({ kind: 'none' } as const) : { kind: deal.status, from: deal.stageId };
  const customerAfter = customerAfterDeal(customer, transition, caller, nowIso);
  const closedAt = deal.closedAt ?? nowIso;
  const history = { id: derivedId(job.id, 'deal-history', row.row), dealId: deal.id, from: null, to: deal.status === 'open' ? deal.stageId : deal.status, actor: { type: 'user' as const, id: job.createdBy }, at: deal.status === 'open' ? nowIso : closedAt };
  const events = job.options.sendWelcome
    ? [dealCreatedEvent(caller, correlationId, { ...deal, status: 'open', closedAt: null, closeReason: null }), ...(transition.kind === 'none' ? [] : transitionEvents(caller, correlationId, { ...deal, status: 'open' }, deal, transition, resolved.pipeline, customer, customerAfter))].map((e, i) => ({
        ...e,
        detail: { ...e.detail, id: derivedId(job.id, `deal-event-${i}`, row.row) },
      }))
    : [];
  return [
    named('profile', profileWrite(table, customer, customerAfter, importedDealFacts(customer, deal), nowIso, closedAt)),
    { name: 'deal', put: { TableName: table, Item: dealItem(deal), ConditionExpression: 'attribute_not_exists(PK)' } },
    named('dealHistory', { Put: { TableName: table, Item: dealHistoryItem(deal.tenantId, deal.customerId, history) } }),
    ...outboxPuts(table, deal.tenantId, deal.customerId, events).map((item, i) => named(`dealEvent-${i}`, item)),
  ];
}

/** Each batch reads the tenant's pipelines once, through its row context. */
const batchPipelines = new WeakMap<RowContext, Promise<Pipeline[]>>();

async function writeDealRow(deps: DealRowDeps, context: RowContext, row: Row): Promise<RowResult> {
  const { job, nowIso } = context;
  if (row.id !== null) {
    const existing = await deps.deals.get(job.tenantId, row.id);
    return existing ? duplicateAsAsked(job, row, `is deal ${existing.id}`, existing.id, existing.ownerId) : failedRow(row, columnOf(job, 'id'), `No deal ${row.id}`);
  }
  let pipelines = batchPipelines.get(context);
  if (!pipelines) batchPipelines.set(context, (pipelines = deps.pipelines.list(job.tenantId)));
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const resolved = await resolve(deps, job, context.users, await pipelines, row, nowIso);
    if ('failed' in resolved) return resolved.failed;
    const deal = rowDeal(job, row, resolved, nowIso);
    const created: RowResult = { outcome: 'created', ownerId: null, board: boardDelta(deal) };
    const deals = await deps.deals.ofCustomer(job.tenantId, resolved.customer.id);
    // This row's own deal: an earlier attempt wrote it (its board share is added with the batch).
    if (deals.some((d) => d.id === deal.id)) return created;
    const same = deals.find((d) => sameDeal(d, deal.pipelineId, deal.name));
    if (same) return duplicateAsAsked(job, row, `deal ${same.id} of customer ${same.customerId} has this name in pipeline ${resolved.pipeline.name}`, same.id, same.ownerId);
    const result = await deps.deals.commit(rowItems(deps, job, row, resolved.customer, deal, resolved, nowIso));
    if (result.ok || result.failed === 'deal') return created;
    // The customer changed since it was read: read it again and decide again.
  }
  return failedRow(row, columnOf(job, customerColumn(row.customer)), 'The customer kept changing while the row was written: import the row again');
}

async function wouldBeDealDuplicates(deps: DealRowDeps, job: ImportJob, rows: readonly Row[]): Promise<RowResult[]> {
  const [users, pipelines] = await Promise.all([deps.users.all(job.tenantId), deps.pipelines.list(job.tenantId)]);
  const nowIso = clock.nowIso();
  const dealsOf = new Map<string, Promise<Deal[]>>();
  const earlier = new Map<string, number>();
  const results: RowResult[] = [];
  for (const row of rows) {
    if (row.id !== null) {
      const existing = await deps.deals.get(job.tenantId, row.id);
      results.push(existing ? dryRunOutcome(job, row, { why: `is deal ${existing.id}`, existingId: existing.id, ownerId: existing.ownerId }) : failedRow(row, columnOf(job, 'id'), `No deal ${row.id}`));
      continue;
    }
    const resolved = await resolve(deps, job, users, pipelines, row, nowIso);
    if ('failed' in resolved) {
      results.push(resolved.failed);
      continue;
    }
    const { customer, pipeline } = resolved;
    let deals = dealsOf.get(customer.id);
    if (!deals) dealsOf.set(customer.id, (deals = deps.deals.ofCustomer(job.tenantId, customer.id)));
    const same = (await deals).find((d) => sameDeal(d, pipeline.id, row.name));
    const key = `${customer.id}|${pipeline.id}|${row.name.trim().toLowerCase()}`;
    const inFile = earlier.get(key);
    if (inFile === undefined) earlier.set(key, row.row);
    const why = same ? `deal ${same.id} of customer ${customer.id} has this name in pipeline ${pipeline.name}` : inFile !== undefined ? `the same deal is also on row ${inFile} of the file` : undefined;
    results.push(dryRunOutcome(job, row, why === undefined ? undefined : { why, existingId: same?.id ?? '', ownerId: same?.ownerId ?? null }));
  }
  return results;
}

export const dealImport: EntityImport<DealRow, DealRowDeps> = {
  targets: (header, mapping) => dealColumns.targets(header, mapping),
  check: (cells, header, targets) => dealColumns.check(cells, header, targets),
  // A customer's deals are written one after another: each moves its profile's deal facts.
  waves: (rows) => wavesBy(rows, (row) => [customerKey(row.customer), ...(row.id ? [`deal:${row.id}`] : [])]),
  write: writeDealRow,
  dryRun: wouldBeDealDuplicates,
};
