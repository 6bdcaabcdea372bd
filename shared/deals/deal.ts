import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import { type Customer, canRead, canWrite, type LifecycleStage } from '../customers/customer';
import { text } from '../customers/fields';
import { Forbidden, ValidationFailed } from '../errors';
import { CLOSED_COLUMNS, findStage, type Pipeline } from '../pipelines/pipeline';
import { DealClosed } from './deal-errors';
import { AMOUNT_PATTERN, toMinor } from './money';

/**
 * A deal (issue 6, docs/pipeline.md): an amount in one currency, an expected close date and an
 * owner, moving through the stages of one pipeline until it is won or lost. Pure rules only; the
 * repository writes the deal, its history, the board aggregates and the customer's deal facts in
 * one transaction.
 */

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

const amountInput = z.string().check(z.regex(AMOUNT_PATTERN, 'Expected an amount such as "1234.50" (a string, at most 2 decimals)'));
/** ISO 4217 code, upper case. */
const currencyInput = z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as EUR'));
const ownerId = z.string().check(z.minLength(1, 'Expected a user id'), z.maxLength(128, 'A user id has at most 128 characters'));
const closeDate = z.iso.date('Expected a date such as 2027-03-31');

/** Request body of POST /deals. */
export const createDealInput = z.strictObject({
  customerId: z.string().check(z.minLength(1, 'Expected a customer id'), z.maxLength(64)),
  pipelineId: z.string().check(z.minLength(1, 'Expected a pipeline id'), z.maxLength(64)),
  /** Defaults to the pipeline's first stage. */
  stageId: z.optional(z.string().check(z.maxLength(64))),
  name: text(200),
  amount: amountInput,
  currency: currencyInput,
  expectedCloseDate: closeDate,
  /** Defaults to the customer's owner, else the caller; a rep may only name themselves. */
  ownerId: z.optional(ownerId),
});
export type CreateDealInput = z.output<typeof createDealInput>;

/**
 * Request body of PATCH /deals/{id} (merge patch, with If-Match). `status: won|lost` closes the deal
 * (lost needs a `reason`); a closed deal accepts only `status: open` (an explicit reopen), with
 * other changes in the same patch.
 */
export const dealPatch = z.strictObject({
  name: z.optional(text(200)),
  amount: z.optional(amountInput),
  currency: z.optional(currencyInput),
  expectedCloseDate: z.optional(closeDate),
  stageId: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(DEAL_STATUSES)),
  reason: z.optional(text(500)),
  ownerId: z.optional(ownerId),
});
export type DealPatch = z.output<typeof dealPatch>;

export interface Deal {
  id: string;
  tenantId: string;
  customerId: string;
  pipelineId: string;
  /** Open: where it is; closed: the stage it was closed from (a reopen returns there). */
  stageId: string;
  status: DealStatus;
  name: string;
  /** Hundredths of `currency` (money.ts). */
  amountMinor: number;
  currency: string;
  expectedCloseDate: string;
  /** Null while its customer waits in a pool: a release or reclaim takes the open deals along (docs/allocation.md). */
  ownerId: string | null;
  /** The owner's team when the owner was set: the forecast groups by it. */
  teamId: string | null;
  closedAt: string | null;
  /** Why it was won or lost (free text: erasure removes it). */
  closeReason: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export interface DealOwner {
  id: string;
  teamId: string | null;
}

export function stageOrError(pipeline: Pipeline, stageId: string): string {
  if (findStage(pipeline, stageId)) return stageId;
  throw new ValidationFailed([{ path: 'stageId', message: `Not a stage of pipeline ${pipeline.id}; expected one of ${pipeline.stages.map((s) => s.id).join(', ')}` }]);
}

/** A rep may give a deal only to themselves; managers and admins to anyone. */
export function assertMayOwn(caller: Caller, ownerId: string): void {
  if (ownerId !== caller.userId && !overseesReps(caller)) {
    throw new Forbidden('A rep may only own deals themselves');
  }
}

export function newDeal(input: CreateDealInput, pipeline: Pipeline, owner: DealOwner, caller: Caller, id: string, nowIso: string): Deal {
  return {
    id,
    tenantId: caller.tenantId,
    customerId: input.customerId,
    pipelineId: pipeline.id,
    stageId: stageOrError(pipeline, input.stageId ?? pipeline.stages[0]!.id),
    status: 'open',
    name: input.name,
    amountMinor: toMinor(input.amount),
    currency: input.currency,
    expectedCloseDate: input.expectedCloseDate,
    ownerId: owner.id,
    teamId: owner.teamId,
    closedAt: null,
    closeReason: null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

/** What a change did to the deal's place in the process: the history and the events follow from it. */
export type Transition =
  | { kind: 'none' }
  | { kind: 'moved'; from: string; to: string }
  | { kind: 'won' | 'lost'; from: string }
  | { kind: 'reopened'; from: 'won' | 'lost'; to: string };

/**
 * The deal after a patch. Stage moves only to stages of the deal's pipeline (400 at `stageId`); a
 * closed deal changes only when the patch reopens it (409 `deal-closed` otherwise); lost needs a reason.
 */
export function applyDealPatch(deal: Deal, patch: DealPatch, pipeline: Pipeline, owner: DealOwner | undefined, caller: Caller, nowIso: string): { after: Deal; transition: Transition } {
  const reopening = deal.status !== 'open' && patch.status === 'open';
  if (deal.status !== 'open' && !reopening) throw new DealClosed(deal.id, deal.status);
  // A reopen returns to the stage the deal was closed from, unless that stage was removed since (400 at `stageId`: name one).
  const stageId = patch.stageId !== undefined ? stageOrError(pipeline, patch.stageId) : reopening ? stageOrError(pipeline, deal.stageId) : deal.stageId;
  const status = patch.status ?? deal.status;
  if (status === 'lost' && deal.status !== 'lost' && !patch.reason) {
    throw new ValidationFailed([{ path: 'reason', message: 'Say why the deal was lost' }]);
  }
  const closing = deal.status === 'open' && status !== 'open';
  const next: Deal = {
    ...deal,
    name: patch.name ?? deal.name,
    amountMinor: patch.amount === undefined ? deal.amountMinor : toMinor(patch.amount),
    currency: patch.currency ?? deal.currency,
    expectedCloseDate: patch.expectedCloseDate ?? deal.expectedCloseDate,
    stageId,
    status,
    ownerId: owner?.id ?? deal.ownerId,
    teamId: owner ? owner.teamId : deal.teamId,
    closedAt: closing ? nowIso : reopening ? null : deal.closedAt,
    closeReason: closing ? (patch.reason ?? null) : reopening ? null : deal.closeReason,
  };
  const transition: Transition = reopening
    ? { kind: 'reopened', from: deal.status as 'won' | 'lost', to: stageId }
    : closing
      ? { kind: status as 'won' | 'lost', from: deal.stageId }
      : stageId !== deal.stageId
        ? { kind: 'moved', from: deal.stageId, to: stageId }
        : { kind: 'none' };
  const changed = (Object.keys(next) as (keyof Deal)[]).some((k) => next[k] !== deal[k]);
  if (!changed) return { after: deal, transition };
  return { after: { ...next, updatedAt: nowIso, updatedBy: caller.userId, version: deal.version + 1 }, transition };
}

/** The board column a deal counts in: its stage while open, else won or lost. */
export function boardColumnOf(deal: Pick<Deal, 'status' | 'stageId'>): string {
  if (deal.status === 'won') return CLOSED_COLUMNS.won;
  if (deal.status === 'lost') return CLOSED_COLUMNS.lost;
  return `STAGE#${deal.stageId}`;
}

/** The date a deal counts on in a forecast: expected close while open, the day it was won; lost deals do not count. */
export function forecastDateOf(deal: Pick<Deal, 'status' | 'expectedCloseDate' | 'closedAt'>): string | null {
  if (deal.status === 'open') return deal.expectedCloseDate;
  if (deal.status === 'won') return (deal.closedAt ?? deal.expectedCloseDate).slice(0, 10);
  return null;
}

/** How a deal write moves the customer's deal facts (ReclaimFacts: hasOpenDeal, lastOpenDealAt, lastWonDealAt). */
export interface DealFactChange {
  openDelta: -1 | 0 | 1;
  /** An open deal closed now: the customer had an open deal until now. */
  closed: boolean;
  won: boolean;
}

export function dealFactChange(before: Pick<Deal, 'status'> | null, after: Pick<Deal, 'status'>): DealFactChange {
  const wasOpen = before?.status === 'open';
  const isOpen = after.status === 'open';
  return {
    openDelta: wasOpen === isOpen ? 0 : isOpen ? 1 : -1,
    closed: wasOpen && !isOpen,
    won: before?.status !== 'won' && after.status === 'won',
  };
}

export const changesFacts = (change: DealFactChange) => change.openDelta !== 0 || change.closed || change.won;

/**
 * A won deal makes the customer a `customer`, never moving it backwards: a customer or evangelist
 * stays; a churned one comes back (it bought again). Null: no change.
 */
export function lifecycleAfterWin(stage: LifecycleStage): LifecycleStage | null {
  return stage === 'customer' || stage === 'evangelist' ? null : 'customer';
}

/** A deal is read by whoever reads its customer, and by its owner. */
export const canReadDeal = (caller: Caller, customer: Customer, deal: Pick<Deal, 'ownerId'>) => canRead(caller, customer) || (caller.tenantId === customer.tenantId && deal.ownerId === caller.userId);

/** ... and changed by whoever may change its customer, and by its owner. */
export const canWriteDeal = (caller: Caller, customer: Customer, deal: Pick<Deal, 'ownerId'>) => canWrite(caller, customer) || (caller.tenantId === customer.tenantId && deal.ownerId === caller.userId);
