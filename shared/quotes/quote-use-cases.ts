import { processStartedV1 } from '../../events/processes/process-started.v1';
import type { Caller } from '../access/caller';
import { resolveChain } from '../approvals/approval-chain';
import { chooseRule } from '../approvals/approval-policy';
import { newProcess } from '../approvals/approval-process';
import type { ApprovalRepository } from '../approvals/approval-repository';
import { type ApprovalDeps, recallItems, subjectRef } from '../approvals/approval-use-cases';
import type { NamedItem } from '../aws/transact-write';
import { clock } from '../clock';
import { canRead, type Customer } from '../customers/customer';
import { Conflict, CustomerNotFound, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { callerEventContext, newEvent } from '../outbox/outbox';
import type { Product } from '../products/product';
import type { DirectoryUser } from '../users/user';
import { currencyDecimals } from './money';
import { approvalSummary, canWorkOn, type CreateQuoteInput, EDITABLE_STATUSES, newQuote, type Quote, type QuotePatch, quoteMaxDiscount, quoteTotalsOf, revisedQuote } from './quote';
import { QuoteNotFound, QuoteNotSubmittable } from './quote-errors';
import { priceLines, type QuoteLineInput } from './quote-lines';
import type { QuoteRepository } from './quote-repository';

export interface QuoteDeps {
  quotes: QuoteRepository;
  products: { many(tenantId: string, productIds: readonly string[]): Promise<Product[]> };
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  approvals: ApprovalRepository;
  approvalDeps: ApprovalDeps;
  /** Every user of the tenant, to resolve an approval chain. */
  directory: (tenantId: string) => Promise<DirectoryUser[]>;
}

async function readableCustomer(deps: QuoteDeps, caller: Caller, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(caller.tenantId, customerId);
  if (!customer || customer.mergedInto || customer.erasedAt || !canRead(caller, customer)) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer, or one you may not read' }]);
  return customer;
}

/** Lines priced from the catalog, at the customer's level's prices where the product lists them. */
async function pricedLines(deps: QuoteDeps, caller: Caller, lines: readonly QuoteLineInput[], currency: string, customerLevel: string | null) {
  const products = await deps.products.many(caller.tenantId, lines.map((l) => l.productId));
  return priceLines(lines, products, currency, customerLevel);
}

/** Reads a quote its caller may work on; others' quotes look absent. */
export async function getQuote(deps: Pick<QuoteDeps, 'quotes'>, caller: Caller, quoteId: string): Promise<Quote> {
  const quote = await deps.quotes.get(caller.tenantId, quoteId);
  if (!quote || !canWorkOn(caller, quote)) throw new QuoteNotFound(quoteId);
  return quote;
}

export async function listQuoteRevisions(deps: QuoteDeps, caller: Caller, quoteId: string): Promise<Quote[]> {
  await getQuote(deps, caller, quoteId);
  return deps.quotes.revisions(caller.tenantId, quoteId);
}

/** A draft for a customer the caller may read, priced from the catalog, numbered Q-<year>-<n>. */
export async function createQuote(deps: QuoteDeps, caller: Caller, input: CreateQuoteInput): Promise<Quote> {
  const customer = await readableCustomer(deps, caller, input.customerId);
  const lines = await pricedLines(deps, caller, input.lines, input.currency, customer.level);
  const now = clock.now();
  const number = await deps.quotes.nextNumber(caller.tenantId, String(now.getUTCFullYear()));
  const quote = newQuote(
    { id: newId(), number, customerId: input.customerId, dealId: input.dealId ?? null, ownerId: caller.userId, currency: input.currency, lines, discountPercent: input.discountPercent, validUntil: input.validUntil, terms: input.terms ?? null, createdBy: caller.userId },
    caller,
    now.toISOString(),
  );
  const written = await deps.approvals.commit(deps.quotes.createItems(caller.tenantId, quote));
  if (written.outcome !== 'written') throw new CustomerNotFound(input.customerId);
  return quote;
}

/**
 * A revision: the previous version is kept, the quote returns to draft. Editing a quote under
 * approval recalls its process in the same commit: the approval was for the version it started with.
 */
export async function updateQuote(deps: QuoteDeps, caller: Caller, quoteId: string, patch: QuotePatch, expectedVersion: number, correlationId: string): Promise<Quote> {
  const current = await getQuote(deps, caller, quoteId);
  if (expectedVersion !== current.version) throw new StaleVersion('quote', current.version);
  if (!EDITABLE_STATUSES.includes(current.status)) throw new QuoteNotSubmittable(current, 'revised');
  const currency = patch.currency ?? current.currency;
  const level = patch.lines ? ((await deps.customers.get(caller.tenantId, current.customerId))?.level ?? null) : null;
  const lines = patch.lines ? await pricedLines(deps, caller, patch.lines, currency, level) : patch.currency ? repricedLines(current, currency) : undefined;
  const quote = revisedQuote(current, { ...patch, lines }, caller, clock.nowIso());
  await commitWithRecall(deps, caller, current, quote, correlationId, { keepRevision: true, recallRequired: false });
  return quote;
}

/**
 * Commits a quote's change with the recall of its running process, if it has one. The process may
 * move under it (the flow opening its step parks the token on it): no change the caller saw, so the
 * recall is built again, up to 3 times; the quote itself must not have moved (412). With
 * `recallRequired`, the change is the recall: a process that ended meanwhile (a decision came
 * first) is a 409.
 */
async function commitWithRecall(deps: QuoteDeps, caller: Caller, current: Quote, quote: Quote, correlationId: string, how: { keepRevision: boolean; recallRequired: boolean }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const recall = await recallOf(deps, caller, current, correlationId);
    if (how.recallRequired && recall.length === 0) throw new Conflict('The approval ended meanwhile (a decision came first); read the quote again');
    const written = await deps.approvals.commit([...deps.quotes.replaceItems(caller.tenantId, quote, current.version, how.keepRevision ? current : undefined), ...recall]);
    if (written.outcome === 'written') return;
    if (written.item === 'quote' || attempt >= 3) throw new StaleVersion('quote', (await deps.quotes.get(caller.tenantId, current.id))?.version ?? current.version);
  }
}

/** Changing only the currency keeps each line's price only where it cannot be wrong: a new currency needs the lines again. */
function repricedLines(quote: Quote, currency: string): never {
  throw new ValidationFailed([{ path: 'lines', message: `Send the lines again with a new currency (${quote.currency} to ${currency}): their prices are per currency` }]);
}

/** The running process of a quote under approval, recalled: items for the same commit. */
async function recallOf(deps: QuoteDeps, caller: Caller, quote: Quote, correlationId: string): Promise<NamedItem[]> {
  if (quote.status !== 'pending-approval' || !quote.approval?.processId) return [];
  const loaded = await deps.approvals.load(caller.tenantId, quote.approval.processId);
  if (!loaded || loaded.process.status !== 'running') return [];
  return recallItems(deps.approvalDeps, caller.tenantId, loaded, caller, correlationId);
}

/** The quote or its process moved meanwhile (a decision, the flow's end, another edit): 412 with the version now. */
async function commitQuote(deps: QuoteDeps, caller: Caller, items: NamedItem[], current: Quote): Promise<void> {
  const written = await deps.approvals.commit(items);
  if (written.outcome === 'written') return;
  throw new StaleVersion('quote', (await deps.quotes.get(caller.tenantId, current.id))?.version ?? current.version);
}

/**
 * Submits a draft: the tenant's `quote-discount` policy picks a chain by the quote's discount,
 * total, categories and customer level; none applies: approved at once. Otherwise the quote
 * waits in `pending-approval` and the process starts (its flow is started by the bus from
 * crm.process.started.v1, written in this commit).
 */
export async function submitQuote(deps: QuoteDeps, caller: Caller, quoteId: string, expectedVersion: number | undefined, correlationId: string): Promise<Quote> {
  const current = await getQuote(deps, caller, quoteId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new StaleVersion('quote', current.version);
  if (current.status !== 'draft') throw new QuoteNotSubmittable(current, 'submitted');
  const [policy, customer] = await Promise.all([deps.approvals.policy(caller.tenantId, 'quote-discount'), deps.customers.get(caller.tenantId, current.customerId)]);
  const totals = quoteTotalsOf(current);
  const rule = chooseRule(policy, {
    currency: current.currency,
    total: totals.grandTotal,
    decimals: currencyDecimals(current.currency) ?? 2,
    maxDiscountBasisPoints: quoteMaxDiscount(current),
    categories: current.lines.flatMap((l) => (l.category ? [l.category] : [])),
    customerLevel: customer?.level ?? null,
  });
  const nowIso = clock.nowIso();
  const version = current.version + 1;
  const process = rule
    ? newProcess({
        id: newId(), kind: 'quote-discount', customerId: current.customerId, requesterId: caller.userId, rule: rule.name, startedAt: nowIso,
        steps: resolveChain(rule, caller.userId, await deps.directory(caller.tenantId)),
        subject: { type: 'quote', id: current.id, version, summary: approvalSummary(current) },
      })
    : undefined;
  const submitted: Quote = {
    ...current, version, updatedAt: nowIso, updatedBy: caller.userId,
    status: process ? 'pending-approval' : 'approved',
    approval: process ? { processId: process.id, status: 'running' } : { processId: null, status: 'not-required' },
  };
  const items = deps.quotes.replaceItems(caller.tenantId, submitted, current.version);
  if (process) {
    items.push(
      deps.approvals.processItem(caller.tenantId, process),
      deps.approvals.eventItem(caller.tenantId, current.customerId, processStartedV1.detailType, newEvent(processStartedV1, callerEventContext(caller, correlationId), {
        processId: process.id, kind: process.kind, customerId: process.customerId, subject: { ...subjectRef(process), summary: process.subject.summary }, requesterId: process.requesterId, rule: process.rule,
        steps: process.steps.map((s) => ({ name: s.name, mode: s.mode, approverIds: s.approverIds, timeLimitHours: s.timeLimitHours })), stepCount: process.steps.length,
      })),
    );
  }
  await commitQuote(deps, caller, items, current);
  return submitted;
}

/** The requester takes a quote under approval back to draft; its approvers' inboxes drop it. */
export async function recallQuote(deps: QuoteDeps, caller: Caller, quoteId: string, correlationId: string): Promise<Quote> {
  const current = await getQuote(deps, caller, quoteId);
  if (current.status !== 'pending-approval' || !current.approval?.processId) throw new QuoteNotSubmittable(current, 'recalled');
  const quote: Quote = { ...current, status: 'draft', approval: { processId: current.approval.processId, status: 'recalled' }, version: current.version + 1, updatedAt: clock.nowIso(), updatedBy: caller.userId };
  await commitWithRecall(deps, caller, current, quote, correlationId, { keepRevision: false, recallRequired: true });
  return quote;
}
