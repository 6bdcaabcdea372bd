import type { NamedItem } from '../aws/transact-write';
import { TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import type { EventContext } from '../outbox/outbox';
import { newId } from '../ids';
import type { Case } from './case';
import type { CaseRepository } from './case-repository';
import { type CaseDeps, changeEvents, withSla } from './case-use-cases';
import { openSystemCase } from './system-case';
import { type FoundCase, decideThread, inboundMessageKey, type ThreadDecision, threadingKey } from './case-threading';
import { caseSubject, inboundMessage, INBOUND_ACTOR_ID, opensCase, takesInbound, tenantOfRecipients, withInbound } from './inbound-case';
import { type InboundLimits, type InboundMail, parseInboundMail } from './inbound-mail';
import { classifyInbound, type InboundKind } from './mail-classification';

/** What the inbound use case reads and writes; the wiring gives the real ones, tests their own. */
export interface InboundDeps {
  cases: Pick<CaseRepository, 'open' | 'change' | 'get' | 'messageItem'>;
  customers: CaseDeps['customers'];
  /** Routing's agent loads, kept in the case's own transaction as every case write does. */
  agentLoad?: CaseDeps['agentLoad'];
  /** The SLA a case is held to: an answer starts the next-response target, a reopen resumes the clocks. */
  slaPolicies: CaseDeps['slaPolicies'];
  /** Whether the tenant exists (has users): mail to a made-up tenant stores nothing. */
  tenants: { exists(tenantId: string): Promise<boolean> };
  /** The "mail already received" marker: a conditional put in the case's transaction, and its read. */
  receipts: { marker(tenantId: string, key: string, caseId: string, messageId: string): NamedItem; find(tenantId: string, key: string): Promise<{ caseId: string; messageId: string } | undefined> };
  /** The domain of `<tenantId>@<domain>` addresses that receive mail. */
  inboundDomain: string;
  /** The addresses the CRM sends from (a mail from one of them is our own, looping back). */
  ourAddresses: readonly string[];
  /** The domain of the Message-IDs we give case replies (case-threading.ts). */
  messageIdDomain: string;
  limits?: Partial<InboundLimits>;
}

export interface ReceivedMail {
  raw: Buffer | string;
  /** Envelope recipients (SES), or the To/Cc list locally. */
  recipients: readonly string[];
  /** The receiver's verdict on the From address (SES: DMARC/SPF/DKIM); undefined when there is none. */
  senderAuthenticated?: boolean;
  /** Where the raw message is kept (the inbound bucket's object key), if anywhere. */
  rawObjectKey?: string | null;
}

/** What became of a mail: never an exception for anything the sender controls. */
export type InboundOutcome =
  | { outcome: 'refused'; reason: 'too-large' | 'malformed' | 'no-sender' | 'unknown-recipient'; detail: string }
  | { outcome: 'dropped'; reason: 'loop' | 'unthreaded-auto-reply' | 'unthreaded-bounce'; detail: string }
  | { outcome: 'duplicate'; tenantId: string; caseId: string; messageId: string }
  | { outcome: 'attached'; tenantId: string; caseId: string; messageId: string; kind: InboundKind; reason: string; reopened: boolean }
  | { outcome: 'opened'; tenantId: string; caseId: string; messageId: string; reason: ThreadDecision['reason']; relatedCaseId: string | null; customerCreated: boolean };

const MAX_ATTEMPTS = 3;

/**
 * A received mail onto its case (docs/service.md, "Inbound mail"): parsed, classified, threaded in
 * the recipient's tenant only, and stored with its events and a "received" marker in one
 * transaction, so the same mail delivered twice is one message.
 */
export async function receiveInboundMail(deps: InboundDeps, received: ReceivedMail, correlationId: string): Promise<InboundOutcome> {
  const parsed = await parseInboundMail(received.raw, deps.limits);
  if (!parsed.ok) return { outcome: 'refused', reason: parsed.reason, detail: parsed.detail };
  const mail = parsed.mail;
  const tenantId = tenantOfRecipients(received.recipients, deps.inboundDomain);
  if (!tenantId || !(await deps.tenants.exists(tenantId))) {
    return { outcome: 'refused', reason: 'unknown-recipient', detail: `No recipient is a tenant's address <tenant>@${deps.inboundDomain}` };
  }
  const classification = classifyInbound(mail, deps.ourAddresses, deps.messageIdDomain);
  if (classification.kind === 'loop') return { outcome: 'dropped', reason: 'loop', detail: classification.reason };

  const key = inboundMessageKey(mail);
  const context: EventContext = { tenantId, actor: { type: 'system', id: INBOUND_ACTOR_ID }, correlationId };
  const rawObjectKey = received.rawObjectKey ?? null;
  const messageId = newId();
  const at = clock.nowIso();
  const duplicate = async () => {
    const found = await deps.receipts.find(tenantId, key);
    return { outcome: 'duplicate' as const, tenantId, caseId: found?.caseId ?? '', messageId: found?.messageId ?? '' };
  };

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const decision = await thread(deps, tenantId, mail, received.senderAuthenticated);
    try {
      if (decision.action === 'attach') {
        const { current } = decision;
        const message = inboundMessage(mail, classification, { id: messageId, caseId: current.id, customerId: current.customerId, at, rawObjectKey });
        const after = await withSla(deps, current, withInbound(current, message, classification), message);
        const outcome = await deps.cases.change(after, current.version, message, changeEvents(current, after, message, context), [
          deps.receipts.marker(tenantId, key, current.id, messageId),
          ...(deps.agentLoad?.(current, after) ?? []),
        ]);
        if (outcome.outcome === 'written') return { outcome: 'attached', tenantId, caseId: current.id, messageId, kind: message.mail!.kind, reason: decision.reason, reopened: after.status !== current.status };
        continue; // the case changed (or moved with a merge) meanwhile: thread again
      }
      if (!opensCase(classification)) return { outcome: 'dropped', reason: classification.kind === 'bounce' ? 'unthreaded-bounce' : 'unthreaded-auto-reply', detail: classification.reason };
      const opened = await openFromMail(deps, tenantId, mail, decision, { messageId, at, rawObjectKey, key, context, classification });
      if (opened) return opened;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('received')) return duplicate();
      throw error;
    }
  }
  throw new Error(`Inbound mail ${mail.messageId ?? key}: its case kept changing over ${MAX_ATTEMPTS} attempts`);
}

/** The decision for this mail in this tenant, with the case to attach to (read consistently, for its version). */
type Threaded = { action: 'attach'; reason: string; current: Case } | NewCaseDecision;
type NewCaseDecision = ThreadDecision & { action: 'new-case' };

async function thread(deps: InboundDeps, tenantId: string, mail: InboundMail, senderAuthenticated: boolean | undefined): Promise<Threaded> {
  const lookups: { candidate: ReturnType<typeof threadingKey>[number]; found: FoundCase | undefined }[] = [];
  let current: Case | undefined;
  // Most trusted first; the first case the tenant has decides, so later candidates are not read.
  for (const candidate of threadingKey(mail, deps.messageIdDomain)) {
    const found = (await deps.cases.get(tenantId, candidate.caseId, false))?.case;
    if (!found) {
      lookups.push({ candidate, found: undefined });
      continue;
    }
    current = found;
    const sender = mail.from.address.toLowerCase();
    // The customer's addresses matter only for a subject token not sent from the requester's own address.
    const needsCustomer = candidate.source === 'subject-token' && found.email?.toLowerCase() !== sender;
    const customerAddresses = needsCustomer ? ((await deps.customers.get(tenantId, found.customerId))?.emails ?? []) : [];
    const status = takesInbound(found, clock.nowMs()) ? found.status : 'closed';
    lookups.push({ candidate, found: { id: found.id, status, email: found.email, customerAddresses } });
    break;
  }
  const decision = decideThread(lookups, mail, { senderAuthenticated });
  return decision.action === 'attach' && current ? { action: 'attach', reason: decision.reason, current } : decision.action === 'new-case' ? decision : { action: 'new-case', reason: 'unknown-case', relatedCaseId: null };
}

interface OpenContext {
  messageId: string;
  at: string;
  rawObjectKey: string | null;
  key: string;
  context: EventContext;
  classification: ReturnType<typeof classifyInbound>;
}

/** A new case from the mail, for the customer holding the sender's address (or a new one), with the mail as its first message. */
async function openFromMail(deps: InboundDeps, tenantId: string, mail: InboundMail, decision: NewCaseDecision, o: OpenContext): Promise<InboundOutcome | undefined> {
  const input = {
    email: mail.from.address,
    subject: caseSubject(mail.subject),
    description: (mail.text || mail.subject || '(empty message)').slice(0, 20_000),
    priority: 'normal' as const,
    category: 'general',
    channel: 'email' as const,
  };
  const opened = await openSystemCase(deps, {
    context: o.context,
    input,
    at: o.at,
    shape: (base) => ({ ...base, email: mail.from.address, relatedCaseId: decision.relatedCaseId, messageCount: 1, lastMessageAt: o.at }),
    more: (c) => {
      const message = inboundMessage(mail, o.classification, { id: o.messageId, caseId: c.id, customerId: c.customerId, at: o.at, rawObjectKey: o.rawObjectKey });
      return { events: changeEvents(c, c, message, o.context), items: [deps.cases.messageItem(c, message), deps.receipts.marker(tenantId, o.key, c.id, o.messageId)] };
    },
  });
  if (opened.outcome !== 'opened') return undefined; // the customer was merged or erased meanwhile: look again
  return { outcome: 'opened', tenantId, caseId: opened.case.id, messageId: o.messageId, reason: decision.reason, relatedCaseId: decision.relatedCaseId, customerCreated: opened.customerCreated };
}
