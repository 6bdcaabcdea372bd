import * as z from 'zod/mini';
import { INBOUND_KINDS } from '../../shared/cases/mail-classification';
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
  relatedCaseId: z.nullable(z.string()).check(z.describe('Opened by an answer to this closed case (inbound mail)')),
  createdAt: timestamp,
  createdBy: z.string(),
  updatedAt: timestamp,
  updatedBy: z.string(),
  version: z.int().check(z.minimum(1), z.describe('+1 per change; the ETag is this number in quotes')),
  sla: z.nullable(caseSlaResponse).check(z.describe('The SLA the case is held to (docs/service.md, "SLA policies"); null when no policy applies')),
  language: z.nullable(z.string()).check(z.describe('The requester\'s language for routing (`en`, `pt-br`); null: any agent')),
  orderId: z.nullable(z.string()).check(z.describe('After-sales: the order the case is about; null for none')),
  orderLines: z
    .array(z.object({ index: z.int().check(z.describe('0-based position in the order')), productId: z.string(), sku: z.string(), name: z.string(), quantity: z.number().check(z.describe('For a return: how much goes back')) }))
    .check(z.describe('After-sales: the order lines the case is about; empty for the whole order or none')),
});

const attachmentResponse = z.object({ filename: z.nullable(z.string()), contentType: z.string(), size: z.int(), checksum: z.string().check(z.describe('SHA-256 of the decoded file, hex')) });

/** `InboundMessageMail`. */
const inboundMailResponse = z.object({
  from: z.string(),
  fromName: z.nullable(z.string()),
  subject: z.string(),
  kind: z.enum(INBOUND_KINDS).check(z.describe('human, auto-reply or bounce (loops are dropped)')),
  attachments: z.array(attachmentResponse),
  droppedAttachments: z.array(z.object({ filename: z.nullable(z.string()), contentType: z.string(), size: z.int(), reason: z.literal('too-large') })).check(z.describe('Attachments over the size limit, not kept')),
  rawObjectKey: z.nullable(z.string()).check(z.describe('Where the raw message is kept (the inbound mail bucket)')),
});

/** `caseMessageView`. */
export const caseMessageResponse = z.object({
  id: z.string(),
  kind: z.enum(MESSAGE_KINDS).check(z.describe('inbound: from the customer; outbound: a reply mailed to them; note: internal')),
  text: z.string(),
  authorId: z.nullable(z.string()),
  messageId: z.nullable(z.string()),
  at: timestamp,
  mail: z.nullable(inboundMailResponse).check(z.describe('Inbound mail only: sender, kind and attachments (metadata; the files are in the raw message object)')),
});

/** `satisfactionView` (satisfaction surveys): the answer of the case's latest answered survey. */
export const satisfactionResponse = z.object({
  surveyId: z.string(),
  kind: z.enum(['csat', 'nps']),
  score: z.int(),
  comment: z.nullable(z.string()),
  answeredAt: timestamp,
  changedAt: z.nullable(timestamp),
});

export const caseWithThreadResponse = z.extend(caseResponse, {
  messages: z.array(caseMessageResponse).check(z.describe('Oldest first')),
  satisfaction: z.nullable(satisfactionResponse).check(z.describe('The answer to the latest answered satisfaction survey; null while none is answered')),
});
export const addedMessageResponse = z.extend(caseMessageResponse, { case: caseResponse });
export const casePageResponse = z.object({
  items: z.array(caseResponse).check(z.describe('By status, then oldest first')),
  cursor: z.nullable(z.string()).check(z.describe('Pass as ?cursor= for the next page; null on the last page')),
});
/** GET /orders/{id}/cases. */
export const orderCasesResponse = z.object({ items: z.array(caseResponse).check(z.describe('Newest first')) });

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [Holds<Equals<z.output<typeof caseResponse>, ReturnType<typeof caseView>>>, Holds<Equals<z.output<typeof caseMessageResponse>, ReturnType<typeof caseMessageView>>>];
