import * as z from 'zod/mini';
import { GROUPS, type Group } from '../access/caller';
import { NotFound } from '../errors';
import { USER_ID_PATTERN } from '../id-formats';

/**
 * Approval policies (docs/processes.md, "Approvals"): per kind of request, rules that pick a chain
 * of approval steps by conditions on the request. Pure: schemas, the default policy, the choice.
 */

export const APPROVAL_KINDS = ['quote-discount', 'contract', 'order'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** The `{kind}` of a path: 404 for anything else, as for an unknown record. */
export function parseApprovalKind(kind: string | undefined): ApprovalKind {
  if (!(APPROVAL_KINDS as readonly string[]).includes(kind ?? '')) throw new NotFound(`No approval policy kind ${kind}; kinds are ${APPROVAL_KINDS.join(', ')}`);
  return kind as ApprovalKind;
}

/** Who decides a step: everyone holding a role, one user, or the requester's manager (read when the process starts). */
export type Approver = { role: Group } | { userId: string } | { manager: true };

export const STEP_MODES = ['any', 'all'] as const;
export type StepMode = (typeof STEP_MODES)[number];

const PERCENT = /^(100|\d{1,2})(\.\d{1,2})?$/;
const AMOUNT = /^\d{1,15}(\.\d{1,3})?$/;

const approver = z.union([
  z.strictObject({ role: z.enum(GROUPS) }),
  z.strictObject({ userId: z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id')) }),
  z.strictObject({ manager: z.literal(true) }),
]);

const step = z.strictObject({
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  approvers: z.array(approver).check(z.minLength(1), z.maxLength(10)),
  /** `any`: the first decision decides the step; `all`: every approver approves, any rejection rejects. */
  mode: z._default(z.enum(STEP_MODES), 'any'),
  /** After this long undecided, the step escalates to each pending approver's manager. */
  timeLimitHours: z.optional(z.int().check(z.minimum(1), z.maximum(24 * 60))),
});
export type ApprovalStep = z.output<typeof step>;

const condition = z.strictObject({
  /** Some line's discount (its own and the quote's, stacked) is above this percentage. */
  discountAbovePercent: z.optional(z.string().check(z.regex(PERCENT, 'Expected a percentage such as "20" or "12.5"'))),
  /** The grand total is at least this amount, in that currency (requests in other currencies do not match). */
  totalAtLeast: z.optional(z.strictObject({ currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code')), amount: z.string().check(z.regex(AMOUNT, 'Expected an amount such as "10000.00"')) })),
  /** Some line is of one of these product categories. */
  categories: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.minLength(1), z.maxLength(50))),
  /** The customer's level is one of these. */
  customerLevels: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(16))).check(z.minLength(1), z.maxLength(20))),
});
export type ApprovalCondition = z.output<typeof condition>;

const rule = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Every condition named must hold; none named: always. */
  when: z._default(condition, {}),
  steps: z.array(step).check(z.minLength(1), z.maxLength(10)),
});
export type ApprovalRule = z.output<typeof rule>;

/** PUT /approval-policies/{kind}: the first rule whose conditions hold picks the chain; none: approved at once. */
export const approvalPolicyInput = z.strictObject({ rules: z.array(rule).check(z.maxLength(20)) });
export type ApprovalPolicyInput = z.output<typeof approvalPolicyInput>;

export interface ApprovalPolicy extends ApprovalPolicyInput {
  kind: ApprovalKind;
  /** 0 for the built-in default no one has written yet. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** What every tenant starts with: a line discount above 20 % needs one approval by the requester's manager. */
export function defaultPolicy(kind: ApprovalKind): ApprovalPolicy {
  const rules: ApprovalRule[] =
    kind === 'quote-discount'
      ? [{ name: 'Discount above 20 %', when: { discountAbovePercent: '20' }, steps: [{ name: 'Manager', approvers: [{ manager: true }], mode: 'any' }] }]
      : [];
  return { kind, rules, version: 0, updatedAt: null, updatedBy: null };
}

/** What a request offers the conditions; amounts in minor units of `currency`, percentages in hundredths. */
export interface RequestFacts {
  currency: string;
  /** Minor units. */
  total: bigint;
  /** The currency's decimals, to read `totalAtLeast` amounts. */
  decimals: number;
  /** Hundredths of a percent (2000 = 20 %). */
  maxDiscountBasisPoints: number;
  categories: readonly string[];
  customerLevel: string | null;
}

/** The rule that applies, or undefined when none does (no approval needed). */
export function chooseRule(policy: Pick<ApprovalPolicy, 'rules'>, facts: RequestFacts): ApprovalRule | undefined {
  return policy.rules.find((r) => holds(r.when, facts));
}

function holds(when: ApprovalCondition, facts: RequestFacts): boolean {
  if (when.discountAbovePercent !== undefined && !(facts.maxDiscountBasisPoints > basisPoints(when.discountAbovePercent))) return false;
  if (when.totalAtLeast !== undefined) {
    if (when.totalAtLeast.currency !== facts.currency) return false;
    const threshold = minorUnits(when.totalAtLeast.amount, facts.decimals);
    if (threshold === undefined || facts.total < threshold) return false;
  }
  if (when.categories !== undefined && !facts.categories.some((c) => when.categories!.includes(c))) return false;
  if (when.customerLevels !== undefined && (facts.customerLevel === null || !when.customerLevels.includes(facts.customerLevel))) return false;
  return true;
}

/** "12.5" -> 1250. */
export function basisPoints(percent: string): number {
  const [whole, fraction = ''] = percent.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** "10000.5" in a 2-decimal currency -> 1000050n; undefined when it has more decimals than the currency. */
function minorUnits(amount: string, decimals: number): bigint | undefined {
  const [whole, fraction = ''] = amount.split('.');
  if (fraction.length > decimals) return undefined;
  return BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** The policy's own checks beyond the schema: a `totalAtLeast` amount its currency can hold. */
export function policyErrors(input: ApprovalPolicyInput, decimalsOf: (currency: string) => number | undefined) {
  const errors: { path: string; message: string }[] = [];
  input.rules.forEach((r, i) => {
    const total = r.when.totalAtLeast;
    if (!total) return;
    const decimals = decimalsOf(total.currency);
    if (decimals === undefined) errors.push({ path: `rules.${i}.when.totalAtLeast.currency`, message: 'Not a currency this CRM knows' });
    else if (minorUnits(total.amount, decimals) === undefined) errors.push({ path: `rules.${i}.when.totalAtLeast.amount`, message: `${total.currency} allows at most ${decimals} decimals` });
  });
  return errors;
}
