import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { hasAnyGroup } from '../access/caller';
import { email, text } from '../customers/fields';
import { Conflict, ValidationFailed } from '../errors';
import { ULID_PATTERN, USER_ID_PATTERN } from '../id-formats';
import type { DroppedAttachment, InboundAttachment } from './inbound-mail';
import type { InboundKind } from './mail-classification';
import { languageTag } from '../agents/agent';
import type { CaseSla } from '../sla/case-sla';
import { formatQuantity } from '../quotes/money';

/**
 * Service cases (docs/service.md, "Cases"): a customer's request with a thread of messages, worked
 * by agents from a queue. Pure: schemas, the status machine, access, views.
 */

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_CHANNELS = ['email', 'web', 'phone', 'chat', 'api'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];
export const CASE_STATUSES = ['new', 'open', 'pending-customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Statuses an agent sets by hand (closing is the reopen window's end, not a choice). */
export const SETTABLE_STATUSES = ['open', 'pending-customer', 'resolved'] as const;
export const MESSAGE_KINDS = ['inbound', 'outbound', 'note'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const CASE_PAGE_SIZE = { default: 25, max: 100 } as const;
export const CASE_TEXT_MAX = 20_000;

/**
 * A customer's answer reopens a resolved case within this many days; after it the case is closed
 * (the sweep marks it; inbound mail judges by `resolvedAt` alone) and an answer opens a new one.
 */
export const REOPEN_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/** When a resolved case closes: its reopen window's end. Null for any other status. */
export function closesAt(c: Pick<Case, 'status' | 'resolvedAt'>): string | null {
  return c.status === 'resolved' && c.resolvedAt ? new Date(Date.parse(c.resolvedAt) + REOPEN_WINDOW_DAYS * DAY_MS).toISOString() : null;
}

/** The case once its reopen window has passed: closed, by nobody in particular (the version moves, so no older copy undoes it). */
export function closedAfterWindow(current: Case, nowIso: string): Case | null {
  const at = closesAt(current);
  if (!at || at > nowIso) return null;
  return { ...current, status: 'closed', updatedAt: nowIso, updatedBy: CLOSING_ACTOR_ID, version: current.version + 1 };
}

/** Who closes resolved cases: the sweep, not a user. */
export const CLOSING_ACTOR_ID = 'case-closing';

/** Cases that still need someone; the rest are done. Lists are kept per group. */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['new', 'open', 'pending-customer'];
export const isActive = (status: CaseStatus) => ACTIVE_STATUSES.includes(status);

const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));
const userId = z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'));
/** A case category: lower-case words joined by `-` (also what a case form offers). */
export const caseCategory = z.string().check(z.trim(), z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Expected a category such as billing or technical-issue (a-z, 0-9, -)'));

/** POST /cases. The customer is named, or found by the requester's address (created when nobody has it). */
export const openCaseInput = z.strictObject({
  customerId: z.optional(recordId),
  contactId: z.optional(recordId),
  email: z.optional(email),
  subject: text(300),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(CASE_TEXT_MAX)),
  priority: z._default(z.enum(CASE_PRIORITIES), 'normal'),
  category: z._default(caseCategory, 'general'),
  channel: z._default(z.enum(CASE_CHANNELS), 'api'),
  assigneeId: z.optional(userId),
  /** Routing: the language the requester writes in (`en`, `pt-br`); absent: any agent's. */
  language: z.optional(languageTag),
  /** After-sales (docs/processes.md, "After-sales"): the order the request is about; its customer's, who becomes the case's when `customerId` is absent. */
  orderId: z.optional(recordId),
});
export type OpenCaseInput = z.output<typeof openCaseInput>;

/** POST /cases/{id}/messages: a reply mailed to the requester, or an internal note. */
export const caseMessageInput = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(CASE_TEXT_MAX)),
  internal: z._default(z.boolean(), false),
  /** What the case waits for after a reply (default: the customer); a note leaves the status alone. */
  status: z.optional(z.enum(SETTABLE_STATUSES)),
});
export type CaseMessageInput = z.output<typeof caseMessageInput>;

/** PATCH /cases/{id}: a merge patch with If-Match; `assigneeId: null` puts the case back in the queue. */
export const casePatch = z.strictObject({
  subject: z.optional(text(300)),
  priority: z.optional(z.enum(CASE_PRIORITIES)),
  category: z.optional(caseCategory),
  status: z.optional(z.enum(SETTABLE_STATUSES)),
  assigneeId: z.optional(z.nullable(userId)),
});
export type CasePatch = z.output<typeof casePatch>;

export interface Case {
  id: string;
  tenantId: string;
  customerId: string;
  contactId: string | null;
  /** Where replies go: the requester's address. */
  email: string | null;
  subject: string;
  description: string;
  priority: CasePriority;
  category: string;
  channel: CaseChannel;
  status: CaseStatus;
  assigneeId: string | null;
  messageCount: number;
  lastMessageAt: string | null;
  /** The first reply to the customer (SLA first response). */
  firstResponseAt: string | null;
  resolvedAt: string | null;
  /** A case opened by an answer to a closed case names that case (inbound mail). Absent on cases stored before. */
  relatedCaseId?: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  /** Routing (docs/service.md, "Routing to agents"): the requester's language, null for any; cases stored before it have none. */
  language?: string | null;
  // SLA policies applied to cases
  /** The SLA the case is held to (shared/sla/case-sla.ts), kept by every write; null when no policy applies. */
  sla: CaseSla | null;
  // After-sales (docs/processes.md, "After-sales")
  /** The order the request is about; null for none, absent on cases stored before. */
  orderId?: string | null;
  /** The order lines it is about (a return's lines, with the quantity going back); absent or empty: the whole order. */
  orderLines?: OrderCaseLine[];
}

/** An order line an after-sales case is about, copied from the order (which never changes its lines). */
export interface OrderCaseLine {
  /** The line's position in the order (0-based), which names it even when one product is on two lines. */
  index: number;
  productId: string;
  sku: string;
  name: string;
  /** Thousandths, as order lines keep them: for a return, how much goes back. */
  quantity: number;
}

export interface CaseMessage {
  id: string;
  caseId: string;
  customerId: string;
  kind: MessageKind;
  text: string;
  /** Who wrote it: an agent's id, or null for the customer's own mail. */
  authorId: string | null;
  /** Mail sent or received for it (RFC 5322 Message-ID), for threading. */
  messageId: string | null;
  at: string;
  /** Inbound mail only (docs/service.md, "Inbound mail"): who wrote it, what kind of mail it was, what came with it. */
  mail?: InboundMessageMail;
}

/** What an inbound message keeps of its mail beside the text: sender, kind, attachments, the raw message's object. */
export interface InboundMessageMail {
  from: string;
  fromName: string | null;
  subject: string;
  kind: InboundKind;
  /** Attachments as metadata; the files are in the raw message object (`rawObjectKey`). */
  attachments: InboundAttachment[];
  droppedAttachments: DroppedAttachment[];
  rawObjectKey: string | null;
}

/** Service staff work cases: agents, their managers, admins. */
export const worksCases = (caller: Caller) => hasAnyGroup(caller, 'agent', 'manager', 'admin');

export function newCase(input: OpenCaseInput, customer: { id: string; email: string | null }, caller: Caller, id: string, nowIso: string): Case {
  return {
    id,
    tenantId: caller.tenantId,
    customerId: customer.id,
    contactId: input.contactId ?? null,
    email: input.email ?? customer.email,
    subject: input.subject,
    description: input.description,
    priority: input.priority,
    category: input.category,
    channel: input.channel,
    status: input.assigneeId ? 'open' : 'new',
    assigneeId: input.assigneeId ?? null,
    messageCount: 0,
    lastMessageAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
    language: input.language ?? null,
    sla: null,
    orderId: input.orderId ?? null,
    orderLines: [],
  };
}

export class CaseClosed extends Conflict {
  override readonly slug = 'case-closed';
  constructor(caseId: string) {
    super(`Case ${caseId} is closed; open a new case`);
  }
}

/**
 * The status a change leads to. Assigning a new case opens it; a reply to the customer waits for
 * them unless the agent says otherwise; resolving stamps the time; a closed case takes nothing.
 */
export function nextStatus(current: CaseStatus, change: { status?: CaseStatus; reply?: boolean; assigned?: boolean }): CaseStatus {
  if (current === 'closed') return current;
  if (change.status) return change.status;
  if (change.reply) return 'pending-customer';
  if (change.assigned && current === 'new') return 'open';
  return current;
}

/** The case after a message: counts, times, and the status it leads to. */
export function withMessage(current: Case, message: Pick<CaseMessage, 'kind' | 'at'>, status: CaseStatus | undefined, caller: Caller): Case {
  const reply = message.kind === 'outbound';
  const next = nextStatus(current.status, { status, reply });
  return {
    ...current,
    status: next,
    messageCount: current.messageCount + 1,
    lastMessageAt: message.at,
    firstResponseAt: current.firstResponseAt ?? (reply ? message.at : null),
    resolvedAt: resolvedAtOf(current, next, message.at),
    updatedAt: message.at,
    updatedBy: caller.userId,
    version: current.version + 1,
  };
}

/** The case after a merge patch. */
export function patched(current: Case, patch: CasePatch, caller: Caller, nowIso: string): Case {
  const assigneeId = patch.assigneeId === undefined ? current.assigneeId : patch.assigneeId;
  const status = nextStatus(current.status, { status: patch.status, assigned: patch.assigneeId !== undefined && patch.assigneeId !== null });
  return {
    ...current,
    subject: patch.subject ?? current.subject,
    priority: patch.priority ?? current.priority,
    category: patch.category ?? current.category,
    assigneeId,
    status,
    resolvedAt: resolvedAtOf(current, status, nowIso),
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: current.version + 1,
  };
}

const resolvedAtOf = (current: Case, next: CaseStatus, nowIso: string) => (next === 'resolved' ? (current.status === 'resolved' ? current.resolvedAt : nowIso) : next === 'closed' ? current.resolvedAt : null);

/** A reply needs somewhere to go. */
export function checkReplyAddress(current: Case, input: CaseMessageInput): void {
  if (!input.internal && !current.email) throw new ValidationFailed([{ path: 'internal', message: 'The case has no requester address to mail a reply to: send an internal note, or add the address to the customer' }]);
}

export function caseView(c: Case) {
  return {
    id: c.id,
    customerId: c.customerId,
    contactId: c.contactId,
    email: c.email,
    subject: c.subject,
    description: c.description,
    priority: c.priority,
    category: c.category,
    channel: c.channel,
    status: c.status,
    assigneeId: c.assigneeId,
    messageCount: c.messageCount,
    lastMessageAt: c.lastMessageAt,
    firstResponseAt: c.firstResponseAt,
    resolvedAt: c.resolvedAt,
    relatedCaseId: c.relatedCaseId ?? null,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    updatedAt: c.updatedAt,
    updatedBy: c.updatedBy,
    version: c.version,
    language: c.language ?? null,
    // Items written before SLA policies (and erased skeletons) have none.
    sla: c.sla ?? null,
    orderId: c.orderId ?? null,
    orderLines: (c.orderLines ?? []).map((l) => ({ ...l, quantity: formatQuantity(l.quantity) })),
  };
}

export function caseMessageView(m: CaseMessage) {
  return { id: m.id, kind: m.kind, text: m.text, authorId: m.authorId, messageId: m.messageId, at: m.at, mail: m.mail ?? null };
}
