import * as z from 'zod/mini';
import { normalizeDomain, normalizeEmail } from '../customers/contact-points';
import { text } from '../customers/fields';
import { createDealInput, type Deal, DEAL_STATUSES, type DealStatus } from '../deals/deal';
import { fromMinor } from '../deals/money';
import { fieldErrors } from '../field-errors';
import { restoreCell } from '../files/formula-cells';
import { type ColumnTarget, mappedTargets, type RowCheck } from './import-rows';

/**
 * The columns of a deal CSV, in and out (docs/integrations.md, "Deals"): the fields `POST /deals`
 * takes, the customer by id, email or domain, the pipeline and stage by id or name, and a closed
 * deal's `status`, `closedAt` and `closeReason`, so a won or lost deal comes in as it was. Pure.
 */

const SCALAR = ['id', 'customerId', 'customerEmail', 'customerDomain', 'pipelineId', 'stageId', 'name', 'amount', 'currency', 'expectedCloseDate', 'ownerId', 'status', 'closedAt', 'closeReason'] as const;

/** The columns an export writes: what this import reads back (the customer by id). */
export const DEAL_COLUMNS = ['id', 'customerId', 'pipelineId', 'stageId', 'name', 'amount', 'currency', 'expectedCloseDate', 'ownerId', 'status', 'closedAt', 'closeReason'] as const;

/** How a row names its customer: the first of `customerId`, `customerEmail`, `customerDomain` it fills. */
export type CustomerRef = { customerId: string } | { email: string } | { domain: string };

export interface DealRow {
  /** The `id` column: this row is that deal (a duplicate by definition). */
  id: string | null;
  customer: CustomerRef;
  /** A pipeline's id or name, and a stage's (null: the pipeline's first stage). */
  pipeline: string;
  stage: string | null;
  name: string;
  amount: string;
  currency: string;
  expectedCloseDate: string;
  owner: string | null;
  status: DealStatus;
  /** ISO time a closed deal closed; null for an open one (and for a closed one without the column: its expected close date). */
  closedAt: string | null;
  closeReason: string | null;
}

const reference = z.string().check(z.maxLength(200, 'At most 200 characters'));
/** What a cell must hold beyond `POST /deals`' own fields (its schema checks name, amount, currency, close date). */
const dealRowSchema = z.strictObject({
  ...z.pick(createDealInput, { name: true, amount: true, currency: true, expectedCloseDate: true }).shape,
  id: z.optional(z.string().check(z.regex(/^[0-9A-Za-z]{1,64}$/, 'Expected a deal id'))),
  customerId: z.optional(z.string().check(z.regex(/^[0-9A-Za-z]{1,64}$/, 'Expected a customer id'))),
  customerEmail: z.optional(z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Expected an email address'))),
  customerDomain: z.optional(reference),
  pipelineId: reference,
  stageId: z.optional(reference),
  ownerId: z.optional(reference),
  status: z.optional(z.enum(DEAL_STATUSES, 'Expected open, won or lost')),
  closedAt: z.optional(z.string().check(z.refine((v) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(v) && !Number.isNaN(Date.parse(v)), 'Expected a date such as 2026-03-31 or an ISO time'))),
  closeReason: z.optional(text(500)),
});

const dealColumnTargets = (header: readonly string[], mapping: Readonly<Record<string, string>> | null) =>
  mappedTargets(header, mapping, {
    known: (field) => (SCALAR as readonly string[]).includes(field),
    fieldsHint: SCALAR.join(', '),
    required: [
      { anyOf: ['customerId', 'customerEmail', 'customerDomain'], message: 'No column names the customer: customerId, customerEmail or customerDomain' },
      { anyOf: ['pipelineId'], message: 'No column feeds pipelineId (a pipeline id or name), which every deal has' },
      ...(['name', 'amount', 'currency', 'expectedCloseDate'] as const).map((field) => ({ anyOf: [field], message: `No column feeds ${field}, which every deal has` })),
    ],
  });

/** Cells read as a spreadsheet writes them: a lower-case currency or status is meant all the same. */
const NORMALIZE: Partial<Record<(typeof SCALAR)[number], (cell: string) => string>> = {
  currency: (cell) => cell.toUpperCase(),
  status: (cell) => cell.toLowerCase(),
  amount: (cell) => cell.replace(/\s/g, ''),
};

function dealRow(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[]): RowCheck<DealRow> {
  const body: Record<string, string> = {};
  const columnOfField = new Map<string, string>();
  targets.forEach((field, index) => {
    if (field === null) return;
    const cell = restoreCell((cells[index] ?? '').trim());
    columnOfField.set(field, header[index] ?? `column ${index + 1}`);
    if (cell !== '') body[field] = NORMALIZE[field as (typeof SCALAR)[number]]?.(cell) ?? cell;
  });
  const column = (field: string) => columnOfField.get(field) ?? field;
  const parsed = dealRowSchema.safeParse(body);
  const errors = parsed.success ? [] : fieldErrors(parsed.error).map((e) => ({ column: column(e.path.split('.')[0] ?? e.path), message: e.message }));
  const domain = body.customerDomain === undefined ? undefined : normalizeDomain(body.customerDomain);
  if (body.customerDomain !== undefined && domain === undefined) errors.push({ column: column('customerDomain'), message: 'Expected a web domain or website such as example.com' });
  const customer: CustomerRef | undefined = body.customerId ? { customerId: body.customerId } : body.customerEmail ? { email: normalizeEmail(body.customerEmail) } : domain ? { domain } : undefined;
  if (!customer && errors.length === 0) errors.push({ column: column('customerId'), message: 'Name the customer: its customerId, customerEmail or customerDomain' });
  const status = (body.status ?? 'open') as DealStatus;
  if (status === 'open' && body.closedAt !== undefined) errors.push({ column: column('closedAt'), message: 'An open deal has not closed: leave closedAt empty, or give its status' });
  if (status === 'open' && body.closeReason !== undefined) errors.push({ column: column('closeReason'), message: 'An open deal has no close reason: leave it empty, or give its status' });
  if (status === 'lost' && body.closeReason === undefined) errors.push({ column: column('closeReason'), message: 'Say why the deal was lost' });
  if (!parsed.success || errors.length > 0 || !customer) return { ok: false, errors };
  const input = parsed.data;
  return {
    ok: true,
    row: {
      id: input.id ?? null,
      customer,
      pipeline: input.pipelineId,
      stage: input.stageId ?? null,
      name: input.name,
      amount: input.amount,
      currency: input.currency,
      expectedCloseDate: input.expectedCloseDate,
      owner: input.ownerId ?? null,
      status,
      closedAt: input.closedAt === undefined ? null : new Date(input.closedAt.length === 10 ? `${input.closedAt}T00:00:00Z` : input.closedAt).toISOString(),
      closeReason: input.closeReason ?? null,
    },
  };
}

export const dealColumns = { targets: dealColumnTargets, check: dealRow };

/** A deal as the cells of DEAL_COLUMNS (the amount as the API writes it). */
export function dealCells(deal: Deal): string[] {
  const values: Record<(typeof DEAL_COLUMNS)[number], string | null> = {
    id: deal.id,
    customerId: deal.customerId,
    pipelineId: deal.pipelineId,
    stageId: deal.stageId,
    name: deal.name,
    amount: fromMinor(deal.amountMinor),
    currency: deal.currency,
    expectedCloseDate: deal.expectedCloseDate,
    ownerId: deal.ownerId,
    status: deal.status,
    closedAt: deal.closedAt,
    closeReason: deal.closeReason,
  };
  return DEAL_COLUMNS.map((column) => values[column] ?? '');
}
