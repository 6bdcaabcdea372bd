import { contractCreatedV1 } from '../../events/contracts/contract-created.v1';
import { contractEndedV1 } from '../../events/contracts/contract-ended.v1';
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
import type { Order } from '../orders/order';
import { currencyDecimals, formatAmount } from '../quotes/money';
import { type Quote, statusOn } from '../quotes/quote';
import { maxLineDiscountPercent } from '../quotes/quote-totals';
import type { DirectoryUser } from '../users/user';
import {
  assertNoErrors,
  canWorkOnContract,
  type Contract,
  CONTRACTABLE_QUOTE_STATUSES,
  contractSummary,
  type CreateContractInput,
  DEFAULT_RENEWAL_NOTICE_DAYS,
  endedContract,
  linkErrors,
  parseContractValue,
} from './contract';
import { ContractNotFound, ContractStatusConflict } from './contract-errors';
import type { ContractRepository } from './contract-repository';

export interface ContractDeps {
  contracts: ContractRepository;
  quotes: { get(tenantId: string, quoteId: string): Promise<Quote | undefined> };
  orders: { get(tenantId: string, orderId: string): Promise<Order | undefined> };
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  approvals: ApprovalRepository;
  approvalDeps: ApprovalDeps;
  /** Every user of the tenant, to resolve an approval chain. */
  directory: (tenantId: string) => Promise<DirectoryUser[]>;
}

/** What the policy's conditions read of the quote or order a contract rests on. */
interface Basis {
  lines: readonly { category: string | null; discountPercent: number }[];
  discountPercent: number;
}

async function readableCustomer(deps: ContractDeps, caller: Caller, customerId: string): Promise<Customer> {
  const customer = await deps.customers.get(caller.tenantId, customerId);
  if (!customer || customer.mergedInto || customer.erasedAt || !canRead(caller, customer)) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer, or one you may not read' }]);
  return customer;
}

/** The linked quote (approved, sent or accepted) or order (not cancelled) of the same customer, in the contract's currency; else 400 naming the field. */
async function basisOf(deps: ContractDeps, caller: Caller, input: CreateContractInput): Promise<Basis | undefined> {
  if (input.quoteId) {
    const quote = await deps.quotes.get(caller.tenantId, input.quoteId);
    // As the quote reads now: a sent quote whose validity ended is `expired`, no basis for a contract.
    const asOfNow = quote && { ...quote, status: statusOn(quote, clock.nowIso()) };
    assertNoErrors(linkErrors(input, { field: 'quoteId', record: asOfNow, allowed: (s) => CONTRACTABLE_QUOTE_STATUSES.includes(s), label: 'quote' }));
    return quote;
  }
  if (input.orderId) {
    const order = await deps.orders.get(caller.tenantId, input.orderId);
    assertNoErrors(linkErrors(input, { field: 'orderId', record: order, allowed: (s) => s !== 'cancelled', label: 'order' }));
    return order;
  }
  return undefined;
}

/** Reads a contract its caller may work on; others' contracts look absent. */
export async function getContract(deps: ContractDeps, caller: Caller, contractId: string): Promise<Contract> {
  const contract = await deps.contracts.get(caller.tenantId, contractId);
  if (!contract || !canWorkOnContract(caller, contract)) throw new ContractNotFound(contractId);
  return contract;
}

/**
 * Draws up a contract for a customer the caller may read, numbered C-<year>-<n>. The tenant's
 * `contract` policy picks a chain by its value, currency, the linked quote's or order's product
 * categories and discounts, and the customer's level; none applies: active at once. Otherwise it
 * waits in `pending-approval` and its process starts in the same commit (the bus starts the flow
 * from crm.process.started.v1), as a submitted quote's does.
 */
export async function createContract(deps: ContractDeps, caller: Caller, input: CreateContractInput, correlationId: string): Promise<Contract> {
  const value = parseContractValue(input);
  const customer = await readableCustomer(deps, caller, input.customerId);
  const basis = await basisOf(deps, caller, input);
  const categories = [...new Set((basis?.lines ?? []).flatMap((l) => (l.category ? [l.category] : [])))];
  const policy = await deps.approvals.policy(caller.tenantId, 'contract');
  const rule = chooseRule(policy, {
    currency: input.currency,
    total: BigInt(value),
    decimals: currencyDecimals(input.currency) ?? 2,
    maxDiscountBasisPoints: basis ? maxLineDiscountPercent(basis.lines, basis.discountPercent) : 0,
    categories,
    customerLevel: customer.level ?? null,
  });
  // The chain first: nobody to approve a step (409) draws no number.
  const steps = rule ? resolveChain(rule, caller.userId, await deps.directory(caller.tenantId)) : undefined;
  const now = clock.now();
  const nowIso = now.toISOString();
  const id = newId();
  const number = await deps.contracts.nextNumber(caller.tenantId, String(now.getUTCFullYear()));
  const base = { number, value, currency: input.currency, startsOn: input.startsOn, endsOn: input.endsOn };
  const process =
    rule && steps
      ? newProcess({
          id: newId(), kind: 'contract', customerId: input.customerId, requesterId: caller.userId, rule: rule.name, startedAt: nowIso, steps,
          subject: { type: 'contract', id, version: 1, summary: contractSummary(base) },
        })
      : undefined;
  const contract: Contract = {
    id, ...base,
    customerId: input.customerId,
    quoteId: input.quoteId ?? null,
    orderId: input.orderId ?? null,
    ownerId: caller.userId,
    terms: input.terms,
    renewalNoticeDays: input.renewalNoticeDays ?? DEFAULT_RENEWAL_NOTICE_DAYS,
    categories,
    status: process ? 'pending-approval' : 'active',
    approval: process ? { processId: process.id, status: 'running' } : { processId: null, status: 'not-required' },
    renewalDueAt: null,
    renewalTaskId: null,
    endedAt: null,
    endedBy: null,
    endReason: null,
    version: 1,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
  const ctx = callerEventContext(caller, correlationId);
  const link = contract.quoteId ? { type: 'quote' as const, id: contract.quoteId } : contract.orderId ? { type: 'order' as const, id: contract.orderId } : undefined;
  const items: NamedItem[] = [
    ...deps.contracts.createItems(caller.tenantId, contract),
    ...(link ? [deps.contracts.basisCheck(caller.tenantId, contract.customerId, link)] : []),
    deps.contracts.eventItem(caller.tenantId, contract.customerId, contractCreatedV1.detailType, newEvent(contractCreatedV1, ctx, {
      contractId: contract.id, customerId: contract.customerId, number: contract.number, quoteId: contract.quoteId, orderId: contract.orderId, ownerId: contract.ownerId,
      currency: contract.currency, value: formatAmount(contract.value, contract.currency), startsOn: contract.startsOn, endsOn: contract.endsOn,
      status: process ? 'pending-approval' : 'active', processId: process?.id ?? null,
    })),
  ];
  if (process) {
    items.push(
      deps.approvals.processItem(caller.tenantId, process),
      deps.approvals.eventItem(caller.tenantId, contract.customerId, processStartedV1.detailType, newEvent(processStartedV1, ctx, {
        processId: process.id, kind: process.kind, customerId: process.customerId, subject: { ...subjectRef(process), summary: process.subject.summary }, requesterId: process.requesterId, rule: process.rule,
        steps: process.steps.map((s) => ({ name: s.name, mode: s.mode, approverIds: s.approverIds, timeLimitHours: s.timeLimitHours })), stepCount: process.steps.length,
      })),
    );
  }
  const written = await deps.approvals.commit(items);
  if (written.outcome === 'written') return contract;
  if (written.item === 'basis') throw new Conflict(`The ${link!.type} changed meanwhile (a revision, a cancellation); it is no basis for a contract now`);
  throw new CustomerNotFound(input.customerId);
}

/**
 * The owner (or a manager) takes a contract under approval back: `withdrawn`, its process ends as
 * recalled in the same commit. The flow opening a step may move the process under it: the recall
 * is built again, up to 3 times; a decision that came first is a 409.
 */
export async function withdrawContract(deps: ContractDeps, caller: Caller, contractId: string, reason: string | undefined, expectedVersion: number | undefined, correlationId: string): Promise<Contract> {
  const current = await getContract(deps, caller, contractId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new StaleVersion('contract', current.version);
  if (current.status !== 'pending-approval' || !current.approval?.processId) throw new ContractStatusConflict(current, 'withdrawn');
  const next = endedContract(current, 'withdrawn', caller, clock.nowIso(), reason);
  for (let attempt = 1; ; attempt++) {
    const loaded = await deps.approvals.load(caller.tenantId, current.approval.processId);
    if (!loaded || loaded.process.status !== 'running') throw new Conflict('The approval ended meanwhile (a decision came first); read the contract again');
    const written = await deps.approvals.commit([
      deps.contracts.replaceItem(caller.tenantId, next, current.version),
      ...recallItems(deps.approvalDeps, caller.tenantId, loaded, caller, correlationId, reason),
      endedEvent(deps, caller, current, next, correlationId),
    ]);
    if (written.outcome === 'written') return next;
    if (written.item === 'contract' || attempt >= 3) throw new StaleVersion('contract', (await deps.contracts.get(caller.tenantId, current.id))?.version ?? current.version);
  }
}

/** An active contract ends early: `terminated`, out of the renewal index (no renewal notice any more). */
export async function terminateContract(deps: ContractDeps, caller: Caller, contractId: string, reason: string | undefined, expectedVersion: number | undefined, correlationId: string): Promise<Contract> {
  const current = await getContract(deps, caller, contractId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new StaleVersion('contract', current.version);
  if (current.status !== 'active') throw new ContractStatusConflict(current, 'terminated');
  const next = endedContract(current, 'terminated', caller, clock.nowIso(), reason);
  const written = await deps.approvals.commit([deps.contracts.replaceItem(caller.tenantId, next, current.version), endedEvent(deps, caller, current, next, correlationId)]);
  if (written.outcome !== 'written') throw new StaleVersion('contract', (await deps.contracts.get(caller.tenantId, current.id))?.version ?? current.version);
  return next;
}

function endedEvent(deps: ContractDeps, caller: Caller, current: Contract, next: Contract, correlationId: string): NamedItem {
  return deps.contracts.eventItem(caller.tenantId, next.customerId, contractEndedV1.detailType, newEvent(contractEndedV1, callerEventContext(caller, correlationId), {
    contractId: next.id, customerId: next.customerId, number: next.number, from: current.status as 'pending-approval' | 'active', to: next.status as 'withdrawn' | 'terminated', endsOn: next.endsOn, hasReason: next.endReason !== null,
  }));
}
