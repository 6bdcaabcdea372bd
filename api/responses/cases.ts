import * as z from 'zod/mini';
import { caseSlaResponse } from './sla';
import { CASE_CHANNELS, CASE_PRIORITIES, CASE_STATUSES, type caseMessageView, type caseView, MESSAGE_KINDS } from '../../shared/cases/case';

/** Response schemas of the case routes, for the OpenAPI document only; the checks at the end tie them to the views. */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-12-07T09:30:00.000Z'] }));

/** `caseView`. */
export const caseResponse = z.object({
  id: z.string(),
  customerId: z.string(),
  contactId: z.nullable(z.string()),
  email: z.nullable(z.string()).check(z.describe("Where replies go: the requester's address")),
  subject: z.string(),
  description: z.string(),
  priority: z.enum(CASE_PRIORITIES),
  category: z.string(),
  channel: z.enum(CASE_CHANNELS),
  status: z.enum(CASE_STATUSES),
  assigneeId: z.nullable(z.string()).check(z.describe('null: waiting in the queue')),
  messageCount: z.int(),
  lastMessageAt: z.nullable(timestamp),
  firstResponseAt: z.nullable(timestamp).check(z.describe('The first reply to the customer')),
  resolvedAt: z.nullable(timestamp),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
  updatedBy: z.string(),
  version: z.int().check(z.minimum(1), z.describe('+1 per change; the ETag is this number in quotes')),
  sla: z.nullable(caseSlaResponse).check(z.describe('The SLA the case is held to (docs/service.md, "SLA policies"); null when no policy applies')),
});

/** `caseMessageView`. */
export const caseMessageResponse = z.object({
  id: z.string(),
  kind: z.enum(MESSAGE_KINDS).check(z.describe('inbound: from the customer; outbound: a reply mailed to them; note: internal')),
  text: z.string(),
  authorId: z.nullable(z.string()),
  messageId: z.nullable(z.string()),
  at: timestamp,
});

export const caseWithThreadResponse = z.extend(caseResponse, { messages: z.array(caseMessageResponse).check(z.describe('Oldest first')) });
export const addedMessageResponse = z.extend(caseMessageResponse, { case: caseResponse });
export const casePageResponse = z.object({
  items: z.array(caseResponse).check(z.describe('By status, then oldest first')),
  cursor: z.nullable(z.string()).check(z.describe('Pass as ?cursor= for the next page; null on the last page')),
});

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [Holds<Equals<z.output<typeof caseResponse>, ReturnType<typeof caseView>>>, Holds<Equals<z.output<typeof caseMessageResponse>, ReturnType<typeof caseMessageView>>>];
