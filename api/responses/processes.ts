import * as z from 'zod/mini';
import { APPROVAL_KINDS, STEP_MODES } from '../../shared/approvals/approval-policy';
import type { approvalView, processView } from '../../shared/approvals/approval-process';
import { GROUPS } from '../../shared/access/caller';
import type { productView } from '../../shared/products/product';
import { QUOTE_STATUSES, type quoteView } from '../../shared/quotes/quote';
import { ORDER_STATUSES, type orderView } from '../../shared/orders/order';
import type { purchasesView } from '../../shared/orders/purchases';
import { CONTRACT_STATUSES, CONTRACT_TERMS, type contractView } from '../../shared/contracts/contract';

/** What the products, quotes, approvals and processes routes answer (documentation only). */

const instant = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)' }));
const amount = z.string().check(z.meta({ description: "A decimal amount with exactly the currency's decimals", examples: ['1250.00'] }));
const percentText = z.string().check(z.meta({ description: 'A percentage, up to 2 decimals', examples: ['20', '7.7'] }));
const processStatus = z.enum(['running', 'approved', 'rejected', 'recalled', 'stale']);

export const productResponse = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.nullable(z.string()),
  prices: z.record(z.string(), z.string()).check(z.describe('Currency -> amount')),
  levelPrices: z.record(z.string(), z.record(z.string(), z.string())).check(z.describe('Customer level -> currency -> amount: what customers of that level are quoted')),
  taxRatePercent: z.string(),
  active: z.boolean(),
  version: z.number(),
  createdAt: instant,
  updatedAt: instant,
});
export const productPageResponse = z.object({ items: z.array(productResponse), cursor: z.nullable(z.string()) });

const figures = { gross: amount, lineDiscount: amount, quoteDiscount: amount, net: amount, tax: amount, total: amount };

export const quoteResponse = z.object({
  id: z.string(),
  number: z.string().check(z.meta({ examples: ['Q-2026-0042'] })),
  customerId: z.string(),
  dealId: z.nullable(z.string()),
  ownerId: z.string(),
  currency: z.string(),
  lines: z.array(
    z.object({
      productId: z.string(),
      sku: z.string(),
      name: z.string(),
      category: z.nullable(z.string()),
      quantity: z.number(),
      unitPrice: amount,
      listUnitPrice: z.nullable(amount),
      priceLevel: z.nullable(z.string()).check(z.describe("The customer level whose price list priced the line; null: the product's own price (or a unitPrice given)")),
      discountPercent: percentText,
      taxRatePercent: percentText,
      ...figures,
    }),
  ),
  discountPercent: percentText,
  maxDiscountPercent: percentText.check(z.describe("The highest discount of a line, its own and the quote's stacked, rounded to 2 decimals")),
  totals: z.object({
    subtotal: amount,
    discountTotal: amount,
    netTotal: amount,
    taxTotal: amount,
    grandTotal: amount,
    taxes: z.array(z.object({ ratePercent: percentText, base: amount, tax: amount })),
  }),
  validUntil: z.string().check(z.meta({ format: 'date' })),
  terms: z.nullable(z.string()),
  status: z.enum(QUOTE_STATUSES),
  approval: z.nullable(z.object({ processId: z.nullable(z.string()), status: z.union([processStatus, z.literal('not-required')]) })),
  sent: z.nullable(
    z.object({ at: instant, by: z.string(), to: z.string(), contactId: z.nullable(z.string()), message: z.nullable(z.string()), expiresAt: instant.check(z.describe('Until when its link takes an answer: the end of `validUntil`, UTC')) }),
  ).check(z.describe('The last sending: to whom, when, and until when its link answers')),
  answer: z.nullable(
    z.object({
      outcome: z.enum(['accepted', 'declined']),
      at: instant,
      via: z.enum(['link', 'order']).check(z.describe('`link`: the customer answered through the mailed link; `order`: an order was placed from the quote')),
      signedBy: z.nullable(z.string()),
      reason: z.nullable(z.string()),
      orderId: z.nullable(z.string()),
    }),
  ).check(z.describe("The customer's answer")),
  version: z.number(),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
});
export const quoteRevisionsResponse = z.object({ items: z.array(quoteResponse) });

const subject = z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number(), summary: z.string() });

export const approvalResponse = z.object({
  id: z.string().check(z.describe('`<process id>-<step>-<slot>`')),
  processId: z.string(),
  kind: z.enum(APPROVAL_KINDS),
  customerId: z.string(),
  subject,
  requesterId: z.string(),
  step: z.number(),
  stepName: z.string(),
  approverId: z.string(),
  onBehalfOf: z.nullable(z.string()),
  status: z.enum(['pending', 'approved', 'rejected', 'closed', 'escalated']).check(z.describe('`closed`: its step or process ended without it; `escalated`: its time limit passed and a new approval in the same step took its place')),
  comment: z.nullable(z.string()),
  createdAt: instant,
  decidedAt: z.nullable(instant),
  dueAt: z.nullable(instant),
});
export const approvalPageResponse = z.object({ items: z.array(approvalResponse), cursor: z.nullable(z.string()) });

export const processResponse = z.object({
  id: z.string(),
  kind: z.enum(APPROVAL_KINDS),
  customerId: z.string(),
  subject,
  requesterId: z.string(),
  rule: z.string(),
  status: processStatus,
  currentStep: z.number(),
  currentStepName: z.nullable(z.string()),
  steps: z.array(
    z.object({
      name: z.string(),
      mode: z.enum(STEP_MODES),
      approverIds: z.array(z.string()),
      timeLimitHours: z.nullable(z.number()),
      status: z.enum(['waiting', 'open', 'approved', 'rejected', 'cancelled']),
      openedAt: z.nullable(instant),
      closedAt: z.nullable(instant),
    }),
  ),
  waitingOn: z.array(z.string()),
  history: z.array(
    z.object({
      at: instant,
      type: z.enum(['started', 'step-opened', 'approved', 'rejected', 'escalated', 'recalled', 'finished']),
      by: z.string(),
      step: z.optional(z.number()),
      comment: z.optional(z.string()),
      onBehalfOf: z.optional(z.string()),
      from: z.optional(z.string().check(z.describe('On `escalated`: who had the approval'))),
      to: z.optional(z.string().check(z.describe('On `escalated`: who has it now'))),
      outcome: z.optional(processStatus),
    }),
  ),
  startedAt: instant,
  endedAt: z.nullable(instant),
  version: z.number(),
});
export const processWithApprovalsResponse = z.extend(processResponse, { approvals: z.array(approvalResponse) });

export const approvalPolicyResponse = z.object({
  kind: z.enum(APPROVAL_KINDS),
  rules: z.array(
    z.object({
      name: z.string(),
      when: z.object({
        discountAbovePercent: z.optional(z.string()),
        totalAtLeast: z.optional(z.object({ currency: z.string(), amount: z.string() })),
        categories: z.optional(z.array(z.string())),
        customerLevels: z.optional(z.array(z.string())),
      }),
      steps: z.array(
        z.object({
          name: z.optional(z.string()),
          approvers: z.array(z.union([z.object({ role: z.enum(GROUPS) }), z.object({ userId: z.string() }), z.object({ manager: z.literal(true) })])),
          mode: z.enum(STEP_MODES),
          timeLimitHours: z.optional(z.number()),
        }),
      ),
    }),
  ),
  version: z.number().check(z.describe('0: the built-in default, never written')),
  updatedAt: z.nullable(instant),
  updatedBy: z.nullable(z.string()),
});

// Ties the schemas to the views: changing one without the other fails tsc.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _ProductSchemaMatchesTheView = Holds<Equals<z.output<typeof productResponse>, ReturnType<typeof productView>>>;
export type _ApprovalSchemaMatchesTheView = Holds<Equals<z.output<typeof approvalResponse>, ReturnType<typeof approvalView>>>;
export type _ProcessSchemaMatchesTheView = Holds<Equals<z.output<typeof processResponse>, ReturnType<typeof processView>>>;
export type _QuoteSchemaMatchesTheView = Holds<Equals<z.output<typeof quoteResponse>, ReturnType<typeof quoteView>>>;

export const orderResponse = z.object({
  id: z.string(),
  number: z.string().check(z.meta({ examples: ['O-2026-0042'] })),
  customerId: z.string(),
  quoteId: z.nullable(z.string()),
  dealId: z.nullable(z.string()),
  ownerId: z.string(),
  currency: z.string(),
  lines: z.array(
    z.object({ productId: z.string(), sku: z.string(), name: z.string(), category: z.nullable(z.string()), quantity: z.number(), unitPrice: amount, discountPercent: percentText, taxRatePercent: percentText, total: amount }),
  ),
  discountPercent: percentText,
  totals: z.object({ subtotal: amount, discountTotal: amount, netTotal: amount, taxTotal: amount, grandTotal: amount }),
  paid: amount,
  balance: amount,
  status: z.enum(ORDER_STATUSES),
  dispatchedAt: z.nullable(instant),
  deliveredAt: z.nullable(instant),
  invoice: z.nullable(z.object({ issuedAt: instant, dueDate: z.string().check(z.meta({ format: 'date' })) })),
  payments: z.array(z.object({ id: z.string(), amount, paidAt: instant, reference: z.nullable(z.string()), recordedBy: z.string() })),
  overdueAt: z.nullable(instant),
  cancelledAt: z.nullable(instant),
  cancelReason: z.nullable(z.string()),
  placedAt: instant,
  version: z.number(),
  updatedAt: instant,
  updatedBy: z.string(),
});

export const purchaseSummaryResponse = z.object({
  orderCount: z.number().check(z.describe('Orders placed and not cancelled')),
  lifetimeSpend: z.record(z.string(), z.string()).check(z.describe('Currency -> the grand totals of those orders')),
  firstPurchaseAt: z.nullable(instant),
  lastPurchaseAt: z.nullable(instant),
});

export const purchasesResponse = z.extend(purchaseSummaryResponse, {
  purchases: z.array(z.object({ orderId: z.string(), orderNumber: z.string(), placedAt: instant, productId: z.string(), sku: z.string(), name: z.string(), quantity: z.number(), currency: z.string(), total: amount })),
});

export type _OrderSchemaMatchesTheView = Holds<Equals<z.output<typeof orderResponse>, ReturnType<typeof orderView>>>;
export type _PurchasesSchemaMatchesTheView = Holds<Equals<z.output<typeof purchasesResponse>, ReturnType<typeof purchasesView>>>;

export const contractResponse = z.object({
  id: z.string(),
  number: z.string().check(z.meta({ examples: ['C-2026-0042'] })),
  customerId: z.string(),
  quoteId: z.nullable(z.string()),
  orderId: z.nullable(z.string()),
  ownerId: z.string(),
  currency: z.string(),
  value: amount,
  startsOn: z.string().check(z.meta({ format: 'date' })),
  endsOn: z.string().check(z.meta({ format: 'date' })),
  terms: z.string(),
  renewalNoticeDays: z.number(),
  renewalDueOn: z.string().check(z.meta({ format: 'date' }), z.describe('When the renewal notice is due: `endsOn` less `renewalNoticeDays`')),
  categories: z.array(z.string()).check(z.describe("Product categories of the linked quote's or order's lines")),
  status: z.enum(CONTRACT_STATUSES),
  term: z.nullable(z.enum(CONTRACT_TERMS)).check(z.describe('For an active contract, where it stands today: upcoming, current or ended (past `endsOn`); null otherwise')),
  approval: z.nullable(z.object({ processId: z.nullable(z.string()), status: z.union([processStatus, z.literal('not-required')]) })),
  renewalDueAt: z.nullable(instant).check(z.describe('When the renewal notice was raised (once)')),
  renewalTaskId: z.nullable(z.string()).check(z.describe("The owner's renewal task")),
  endedAt: z.nullable(instant),
  endedBy: z.nullable(z.string()),
  endReason: z.nullable(z.string()),
  version: z.number(),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
});

export type _ContractSchemaMatchesTheView = Holds<Equals<z.output<typeof contractResponse>, ReturnType<typeof contractView>>>;
