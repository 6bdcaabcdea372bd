import { createHash } from 'node:crypto';
import type { CaseStatus } from './case';
import type { InboundMail } from './inbound-mail';

/**
 * Which case an inbound mail belongs to (docs/service.md, "Inbound mail"). Pure: the wiring looks
 * the candidates up in the recipient's tenant only, so another tenant's case id is simply not
 * found. A reference to a Message-ID we generated is trusted; the subject token `[case <id>]`
 * anyone can type, so it counts only from the case's own requester or customer.
 */

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/**
 * The Message-ID of a mail we send for a case message: `<case.<caseId>.<messageId>@<domain>>`.
 * A reply quotes it in In-Reply-To/References, and both ids are the case's own. SES replaces the
 * Message-ID of what it sends, so the sender should also put this id in the `References` header
 * (clients carry References forward on a reply).
 */
export const outboundMessageId = (caseId: string, messageId: string, domain: string) => `<case.${caseId}.${messageId}@${domain.toLowerCase()}>`;

const OUTBOUND_ID = new RegExp(`^<case\\.(${ULID})\\.(${ULID})@([^<>@\\s]+)>$`);

/** The ids inside one of our Message-IDs, or null for anyone else's (another domain is not ours). */
export function parseOutboundMessageId(id: string, domain: string): { caseId: string; messageId: string } | null {
  const [, caseId, messageId, host] = OUTBOUND_ID.exec(id.trim()) ?? [];
  if (!caseId || !messageId || host?.toLowerCase() !== domain.toLowerCase()) return null;
  return { caseId, messageId };
}

// `[case 01J...]` anywhere in the subject, so Re:/AW:/Fwd: in front changes nothing; the id itself is exact.
const SUBJECT_TOKEN = new RegExp(`\\[\\s*case\\s+(${ULID})\\s*\\]`, 'i');

/** The case id of the subject's `[case <ULID>]` token (shared/cases/case-reply-use-case.ts `caseReference`), or null. */
export function subjectCaseId(subject: string): string | null {
  return SUBJECT_TOKEN.exec(subject)?.[1] ?? null;
}

export const THREAD_SOURCES = ['in-reply-to', 'references', 'subject-token'] as const;
export type ThreadSource = (typeof THREAD_SOURCES)[number];
export interface ThreadCandidate {
  caseId: string;
  source: ThreadSource;
}

/**
 * The candidate case ids, most trusted first, each once: the case of the mail answered
 * (In-Reply-To), of the thread's references newest first, then the subject token.
 */
export function threadingKey(mail: Pick<InboundMail, 'inReplyTo' | 'references' | 'subject'>, domain: string): ThreadCandidate[] {
  const found: ThreadCandidate[] = [];
  const add = (caseId: string | undefined | null, source: ThreadSource) => {
    if (caseId && !found.some((c) => c.caseId === caseId)) found.push({ caseId, source });
  };
  if (mail.inReplyTo) add(parseOutboundMessageId(mail.inReplyTo, domain)?.caseId, 'in-reply-to');
  for (const ref of [...mail.references].reverse()) add(parseOutboundMessageId(ref, domain)?.caseId, 'references');
  add(subjectCaseId(mail.subject), 'subject-token');
  return found;
}

/**
 * Every Message-ID the mail answers, newest first (In-Reply-To, then References from the end):
 * for looking up the `messageId` stored on case messages, where ours was rewritten on the way.
 * A case found that way is a candidate with source `references`.
 */
export function referencedMessageIds(mail: Pick<InboundMail, 'inReplyTo' | 'references'>): string[] {
  return [...new Set([...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()])];
}

/** A candidate case as the tenant has it, with the addresses that may use its subject token. */
export interface FoundCase {
  id: string;
  status: CaseStatus;
  /** The requester's address (Case.email). */
  email: string | null;
  /** The case customer's addresses (the customer's and its contacts'). */
  customerAddresses: readonly string[];
}

export type ThreadDecision =
  | { action: 'attach'; caseId: string; reason: 'reference' | 'token-from-requester' }
  | { action: 'new-case'; reason: 'no-reference' | 'unknown-case' | 'token-sender-mismatch' | 'token-sender-unverified' | 'case-closed'; relatedCaseId: string | null };

export interface ThreadOptions {
  /**
   * Whether the receiving side vouches for the From address (SES: DMARC, or SPF/DKIM, passed).
   * A From can be forged; when it is known not to be authentic, a subject token never attaches.
   * Default true: the local route has no verdict.
   */
  senderAuthenticated?: boolean;
}

/** One candidate, as found in the tenant (undefined when the tenant has no such case). */
export function threadDecision(candidate: ThreadCandidate | undefined, found: FoundCase | undefined, mail: Pick<InboundMail, 'from'>, options: ThreadOptions = {}): ThreadDecision {
  if (!candidate) return { action: 'new-case', reason: 'no-reference', relatedCaseId: null };
  // Another tenant's case or an id made up: nothing tells the sender that it exists anywhere.
  if (!found || found.id !== candidate.caseId) return { action: 'new-case', reason: 'unknown-case', relatedCaseId: null };
  if (candidate.source === 'subject-token') {
    const sender = mail.from.address.toLowerCase();
    const allowed = [found.email, ...found.customerAddresses].some((a) => a?.toLowerCase() === sender);
    if (!allowed) return { action: 'new-case', reason: 'token-sender-mismatch', relatedCaseId: null };
    if (options.senderAuthenticated === false) return { action: 'new-case', reason: 'token-sender-unverified', relatedCaseId: null };
  }
  // A closed case takes nothing (CaseClosed): the answer opens a new one that names it.
  if (found.status === 'closed') return { action: 'new-case', reason: 'case-closed', relatedCaseId: found.id };
  return { action: 'attach', caseId: found.id, reason: candidate.source === 'subject-token' ? 'token-from-requester' : 'reference' };
}

/**
 * All candidates in order of trust, each as found in the tenant: the most trusted one the tenant
 * has decides (a reference to a closed case is a new case, even if the subject names another).
 * None found: `unknown-case`; no candidates: `no-reference`.
 */
export function decideThread(lookups: readonly { candidate: ThreadCandidate; found: FoundCase | undefined }[], mail: Pick<InboundMail, 'from'>, options: ThreadOptions = {}): ThreadDecision {
  const first = lookups.find((l) => l.found?.id === l.candidate.caseId);
  if (first) return threadDecision(first.candidate, first.found, mail, options);
  return threadDecision(lookups[0]?.candidate, undefined, mail, options);
}

/**
 * The key that makes a mail delivered twice one message: its sender and Message-ID, or without a
 * Message-ID a digest of what the sender wrote (from, date, subject, body). The sender is part of
 * it so a stranger who copies a Message-ID cannot make someone else's mail a "duplicate". Hashed,
 * so a Message-ID of any length fits a table key. Scope it by tenant where it is stored.
 */
export function inboundMessageKey(mail: Pick<InboundMail, 'messageId' | 'from' | 'sentAt' | 'subject' | 'text' | 'quoted'>): string {
  if (mail.messageId) return `mid:${sha256(`${mail.from.address}\u0000${mail.messageId}`)}`;
  return `sum:${sha256([mail.from.address, mail.sentAt ?? '', mail.subject, mail.text, mail.quoted ?? ''].join('\u0000'))}`;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
