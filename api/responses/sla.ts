import * as z from 'zod/mini';
import type { CaseSla } from '../../shared/sla/case-sla';
import { type slaPolicyView } from '../../shared/sla/sla-policies';
import { slaPolicyInput } from '../../shared/sla/sla-policies';

/** Response schemas of SLA policies and of the SLA block of a case, for the OpenAPI document only; the checks at the end tie them to the code. */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-12-07T09:30:00.000Z'] }));
const targets = z.object({ firstResponseMinutes: z.int(), nextResponseMinutes: z.int(), resolutionMinutes: z.int() });

const targetState = z.object({
  startedAt: timestamp,
  minutes: z.int().check(z.describe('The target in business minutes')),
  dueAt: z.nullable(timestamp).check(z.describe('null while the case is paused short of the target')),
  warnAt: z.nullable(timestamp).check(z.describe('When the warning of a coming breach is due')),
  metAt: z.nullable(timestamp),
  warnedAt: z.nullable(timestamp).check(z.describe('When the warning was raised (crm.case.sla-warning.v1)')),
  breachedAt: z.nullable(timestamp).check(z.describe('When the breach was raised (crm.case.sla-breached.v1)')),
  status: z.enum(['running', 'paused', 'met', 'breached']),
});

/** The `sla` block of a case. */
export const caseSlaResponse = z.object({
  policyId: z.string(),
  policyVersion: z.int(),
  level: z.nullable(z.string()).check(z.describe("The customer's level when the case was opened (picks levelOverrides)")),
  targets,
  pauses: z.array(z.object({ from: timestamp, to: z.nullable(timestamp) })).check(z.describe('While pending the customer (or resolved) no clock runs; to: null is going on')),
  firstResponse: targetState,
  nextResponse: z.nullable(targetState).check(z.describe('Started by a customer message after the first response')),
  resolution: targetState,
  nextAlertAt: z.nullable(timestamp).check(z.describe('The next warning or breach the sweep raises')),
});

export const slaPolicyResponse = z.extend(slaPolicyInput, {
  id: z.string(),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
  updatedBy: z.string(),
  version: z.int().check(z.minimum(1), z.describe('+1 per change; the ETag is this number in quotes')),
});
export const slaPolicyListResponse = z.object({ items: z.array(slaPolicyResponse).check(z.describe('By id')) });

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [Holds<Equals<z.output<typeof caseSlaResponse>, CaseSla>>, Holds<Equals<z.output<typeof slaPolicyResponse>, ReturnType<typeof slaPolicyView>>>];
