import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import type { ProcessStatus } from '../approvals/approval-process';
import { ValidationFailed } from '../errors';
import { ULID_PATTERN } from '../id-formats';
import { amountText, currencyCode, formatAmount, parseAmount } from '../quotes/money';

/**
 * Contracts (docs/processes.md, "Contracts"): what a customer signed, for a value over a term,
 * approved as the tenant's `contract` policy asks, and brought back to its owner for renewal a set
 * number of days before it ends. Pure: schemas, the status rules, the renewal's timing, views.
 */

/**
 * `pending-approval` → `active` (approved, or no rule applied) | `rejected`; a contract under
 * approval may be `withdrawn` by its owner; an active one `terminated` early. "Ended" is not a
 * status: an active contract past its `endsOn` is shown as `term: ended`.
 */
export const CONTRACT_STATUSES = ['pending-approval', 'active', 'rejected', 'withdrawn', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Where an active contract stands in its term on a given day (derived, never stored). */
export const CONTRACT_TERMS = ['upcoming', 'current', 'ended'] as const;
export type ContractTerm = (typeof CONTRACT_TERMS)[number];

export const DEFAULT_RENEWAL_NOTICE_DAYS = 30;
export const MAX_RENEWAL_NOTICE_DAYS = 365;
export const MAX_TERMS_LENGTH = 5000;

/** The quote statuses a contract may be based on: the quote was approved (and perhaps sent or accepted). */
export const CONTRACTABLE_QUOTE_STATUSES: readonly string[] = ['approved', 'sent', 'accepted'];

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));

/** POST /contracts. `value` is checked against the currency's decimals by `parseContractValue`. */
export const createContractInput = z
  .strictObject({
    customerId: recordId,
    /** The approved quote the contract is based on; or `orderId`, never both. */
    quoteId: z.optional(recordId),
    orderId: z.optional(recordId),
    /** The contract's whole value, a decimal string in `currency`. */
    value: amountText,
    currency: currencyCode,
    startsOn: z.iso.date(),
    /** The last day of the term; after `startsOn`. */
    endsOn: z.iso.date(),
    terms: z.string().check(z.minLength(1), z.maxLength(MAX_TERMS_LENGTH)),
    /** How many days before `endsOn` the owner gets a renewal task and a mail; 30 when absent. */
    renewalNoticeDays: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_RENEWAL_NOTICE_DAYS))),
  })
  .check(
    z.refine((c) => c.quoteId === undefined || c.orderId === undefined, { message: 'Give a quoteId or an orderId, not both', path: ['orderId'] }),
    // Only between two dates: a malformed one is named by its own field's error alone.
    z.refine((c) => !ISO_DAY.test(c.startsOn) || !ISO_DAY.test(c.endsOn) || c.endsOn > c.startsOn, { message: 'A contract ends after it starts (endsOn after startsOn)', path: ['endsOn'] }),
  );
export type CreateContractInput = z.output<typeof createContractInput>;

/** POST /contracts/{id}/terminate: an active contract ends now, before its `endsOn`; its renewal notice, if not yet raised, is never raised. */
export const terminateContractInput = z.strictObject({
  reason: z.optional(z.string().check(z.maxLength(1000))),
});
/** POST /contracts/{id}/withdraw: the owner takes a contract under approval back. */
export const withdrawContractInput = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1000))) });

export interface ContractApproval {
  /** Null when no rule of the policy applied: active without a process. */
  processId: string | null;
  status: ProcessStatus | 'not-required';
}

export interface Contract {
  id: string;
  /** C-<year>-<4+ digits>, counted per tenant and year. */
  number: string;
  customerId: string;
  quoteId: string | null;
  orderId: string | null;
  /** Who drew it up: the requester of its approval, who gets its renewal task. */
  ownerId: string;
  currency: string;
  /** Minor units of `currency`. */
  value: number;
  startsOn: string;
  endsOn: string;
  terms: string;
  renewalNoticeDays: number;
  /** Product categories of the linked quote's or order's lines (the policy's `categories` read them). */
  categories: string[];
  status: ContractStatus;
  approval: ContractApproval | null;
  /** When the renewal notice was raised (once), and the task it opened. */
  renewalDueAt: string | null;
  renewalTaskId: string | null;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** "12000.50" EUR -> 1200050; more decimals than the currency allows is a 400 naming `value`. */
export const parseContractValue = (input: Pick<CreateContractInput, 'value' | 'currency'>) => parseAmount(input.value, input.currency, 'value');

/** The day an active contract's renewal notice is due, at 00:00 UTC: `endsOn` less its notice days. */
export function renewalDueFrom(contract: Pick<Contract, 'endsOn' | 'renewalNoticeDays'>): string {
  return new Date(Date.parse(`${contract.endsOn}T00:00:00.000Z`) - contract.renewalNoticeDays * 86_400_000).toISOString();
}

/** Active, its notice due by now and not yet raised: the sweep raises it once. */
export function isRenewalDue(contract: Contract, nowIso: string): boolean {
  return contract.status === 'active' && contract.renewalDueAt === null && renewalDueFrom(contract) <= nowIso;
}

/** The contract once its renewal notice is raised, with the task it opened. */
export const markedRenewalDue = (contract: Contract, taskId: string, nowIso: string): Contract => ({
  ...contract, renewalDueAt: nowIso, renewalTaskId: taskId, version: contract.version + 1, updatedAt: nowIso, updatedBy: 'contract-renewals',
});

/** Where an active contract stands on `today` (YYYY-MM-DD); null for one that never ran or was ended early. */
export function termOf(contract: Pick<Contract, 'status' | 'startsOn' | 'endsOn'>, today: string): ContractTerm | null {
  if (contract.status !== 'active') return null;
  if (today < contract.startsOn) return 'upcoming';
  return today > contract.endsOn ? 'ended' : 'current';
}

/** Checks a quote or order the contract names: the same customer's, in a status a contract can rest on; else 400 naming the field. */
export function linkErrors(
  input: Pick<CreateContractInput, 'customerId' | 'currency'>,
  link: { field: 'quoteId' | 'orderId'; record: { customerId: string; status: string; currency: string } | undefined; allowed: (status: string) => boolean; label: string },
) {
  const { field, record } = link;
  if (!record) return [{ path: field, message: `No such ${link.label}, or one you may not read` }];
  if (record.customerId !== input.customerId) return [{ path: field, message: `Not a ${link.label} of this contract's customer` }];
  if (!link.allowed(record.status)) return [{ path: field, message: `The ${link.label} is ${record.status}; a contract rests on ${field === 'quoteId' ? 'an approved, sent or accepted quote' : 'an order not cancelled'}` }];
  if (record.currency !== input.currency) return [{ path: 'currency', message: `The ${link.label} is in ${record.currency}` }];
  return [];
}

export function assertNoErrors(errors: { path: string; message: string }[]): void {
  if (errors.length > 0) throw new ValidationFailed(errors);
}

/** Its owner works on a contract; managers and admins too (as quotes). */
export const canWorkOnContract = (caller: Caller, contract: Pick<Contract, 'ownerId'>) => contract.ownerId === caller.userId || overseesReps(caller);

/** What an approver's inbox shows: the number, value and term, never the customer's name. */
export function contractSummary(contract: Pick<Contract, 'number' | 'value' | 'currency' | 'startsOn' | 'endsOn'>): string {
  return `Contract ${contract.number}: ${formatAmount(contract.value, contract.currency)} ${contract.currency}, ${contract.startsOn} to ${contract.endsOn}`;
}

/** An end by its owner or a manager: withdrawn (under approval) or terminated (active). */
export function endedContract(contract: Contract, to: 'withdrawn' | 'terminated', by: Caller, nowIso: string, reason: string | undefined): Contract {
  return {
    ...contract,
    status: to,
    approval: to === 'withdrawn' && contract.approval ? { ...contract.approval, status: 'recalled' } : contract.approval,
    endedAt: nowIso,
    endedBy: by.userId,
    endReason: reason ?? null,
    version: contract.version + 1,
    updatedAt: nowIso,
    updatedBy: by.userId,
  };
}

export function contractView(contract: Contract, today: string) {
  return {
    id: contract.id,
    number: contract.number,
    customerId: contract.customerId,
    quoteId: contract.quoteId,
    orderId: contract.orderId,
    ownerId: contract.ownerId,
    currency: contract.currency,
    value: formatAmount(contract.value, contract.currency),
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
    terms: contract.terms,
    renewalNoticeDays: contract.renewalNoticeDays,
    renewalDueOn: renewalDueFrom(contract).slice(0, 10),
    categories: contract.categories,
    status: contract.status,
    term: termOf(contract, today),
    approval: contract.approval,
    renewalDueAt: contract.renewalDueAt,
    renewalTaskId: contract.renewalTaskId,
    endedAt: contract.endedAt,
    endedBy: contract.endedBy,
    endReason: contract.endReason,
    version: contract.version,
    createdAt: contract.createdAt,
    createdBy: contract.createdBy,
    updatedAt: contract.updatedAt,
    updatedBy: contract.updatedBy,
  };
}

/** The 360 view's order: in force or waiting first, soonest ending on top; then the others, latest changed first. */
export function contractsInOrder<T extends Pick<Contract, 'status' | 'endsOn' | 'updatedAt'>>(contracts: T[]): T[] {
  const live = contracts.filter((c) => c.status === 'active' || c.status === 'pending-approval').sort((a, b) => a.endsOn.localeCompare(b.endsOn));
  const done = contracts.filter((c) => c.status !== 'active' && c.status !== 'pending-approval').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return [...live, ...done];
}
