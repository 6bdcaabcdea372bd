import { parseOutboundMessageId } from './case-threading';
import type { InboundMail } from './inbound-mail';

/**
 * What kind of sender an inbound mail has (docs/service.md, "Inbound mail"). Only a person is
 * answered: an auto-reply or a bounce is stored on the case so agents see it, but never answered
 * and never reopens it (answering one is how two robots mail each other forever); a loop, our own
 * mail come back, is dropped.
 */

export const INBOUND_KINDS = ['human', 'auto-reply', 'bounce', 'loop'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

export interface Classification {
  kind: InboundKind;
  /** Which signal decided it, for the log and the stored message. */
  reason: string;
}

/** What the kind allows: whether the mail is kept, may be answered (auto-acknowledged), may reopen a case. */
export const KIND_EFFECTS: Record<InboundKind, { store: boolean; answer: boolean; reopen: boolean }> = {
  human: { store: true, answer: true, reopen: true },
  'auto-reply': { store: true, answer: false, reopen: false },
  bounce: { store: true, answer: false, reopen: false },
  loop: { store: false, answer: false, reopen: false },
};

const AUTO_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);
// Out-of-office subjects of the mailers that set no header for it: the phrase and a colon at the
// start ("Automatic reply: ..."), so a person asking about "auto reply settings" is still a person.
const AUTO_SUBJECT = /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique)\s*:/i;
const BOUNCE_LOCAL_PARTS = new Set(['mailer-daemon', 'postmaster']);

/**
 * Loop, then bounce, then auto-reply, then a person. `ourAddresses` are the addresses we send
 * from; `ourMessageIdDomain` the domain of the Message-IDs we set (case-threading.ts). An
 * `X-CRM-Case` header alone does not make a loop: anyone can write it, and our own mail is
 * already told by its sender or its Message-ID.
 */
export function classifyInbound(mail: Pick<InboundMail, 'from' | 'subject' | 'headers' | 'messageId'>, ourAddresses: readonly string[], ourMessageIdDomain?: string): Classification {
  const from = mail.from.address.toLowerCase();
  if (ourAddresses.some((a) => a.toLowerCase() === from)) return { kind: 'loop', reason: 'from-our-address' };
  if (ourMessageIdDomain && mail.messageId && parseOutboundMessageId(mail.messageId, ourMessageIdDomain)) return { kind: 'loop', reason: 'our-message-id' };

  const h = mail.headers;
  const contentType = (h['content-type'] ?? '').toLowerCase();
  const reportType = /report-type\s*=\s*"?([a-z-]+)/.exec(contentType)?.[1];
  if (contentType.startsWith('multipart/report') && reportType === 'delivery-status') return { kind: 'bounce', reason: 'delivery-status-report' };
  if (BOUNCE_LOCAL_PARTS.has(from.slice(0, from.lastIndexOf('@')))) return { kind: 'bounce', reason: 'from-mailer-daemon' };

  const autoSubmitted = token(h['auto-submitted']);
  if (autoSubmitted && autoSubmitted !== 'no') return { kind: 'auto-reply', reason: `auto-submitted:${autoSubmitted}` };
  if (h['x-autoreply'] !== undefined) return { kind: 'auto-reply', reason: 'x-autoreply' };
  if (h['x-autorespond'] !== undefined) return { kind: 'auto-reply', reason: 'x-autorespond' };
  const precedence = token(h.precedence);
  if (precedence && AUTO_PRECEDENCE.has(precedence)) return { kind: 'auto-reply', reason: `precedence:${precedence}` };
  if (h['x-auto-response-suppress'] !== undefined) return { kind: 'auto-reply', reason: 'x-auto-response-suppress' };
  if (contentType.startsWith('multipart/report')) return { kind: 'auto-reply', reason: `report:${reportType ?? 'unknown'}` };
  // The null sender (RFC 5321 4.5.5): what RFC 3834 asks auto-responders to use.
  if (h['return-path'] !== undefined && h['return-path'].replace(/\s/g, '') === '<>') return { kind: 'auto-reply', reason: 'null-return-path' };
  if (AUTO_SUBJECT.test(mail.subject)) return { kind: 'auto-reply', reason: 'auto-reply-subject' };
  return { kind: 'human', reason: 'no-automation-signal' };
}

/** A header's value without parameters or comments, lower-cased: `auto-replied; owner-email=...` is `auto-replied`. */
const token = (value: string | undefined) => value?.split(/[;(]/)[0]?.trim().toLowerCase() || undefined;
