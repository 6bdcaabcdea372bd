import { createHash } from 'node:crypto';
import { type AddressObject, type HeaderLines, type ParsedMail, simpleParser } from 'mailparser';
import { email } from '../customers/fields';

/**
 * Inbound mail to a case (docs/service.md, "Inbound mail"): a raw RFC 5322 message becomes a plain
 * `InboundMail`, or a refusal with a reason. Pure apart from the parser: no AWS, no table. MIME,
 * transfer encodings, charsets and RFC 2047 headers are mailparser's; what we keep, and why a
 * message is refused, is ours.
 */

export interface InboundLimits {
  /** The raw message, in bytes: above it nothing is parsed (a parse buffers every part in memory). */
  maxRawBytes: number;
  /** One attachment, decoded, in bytes: above it the attachment is dropped, the message kept. */
  maxAttachmentBytes: number;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = { maxRawBytes: 10 * 1024 * 1024, maxAttachmentBytes: 10 * 1024 * 1024 };

/** Headers the classification reads (lower-case names, unfolded values); the rest are not kept. */
export const CLASSIFICATION_HEADERS = [
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'precedence',
  'content-type',
  'return-path',
  'x-crm-case',
] as const;
export type ClassificationHeader = (typeof CLASSIFICATION_HEADERS)[number];

export interface InboundAttachment {
  filename: string | null;
  contentType: string;
  /** Decoded bytes. */
  size: number;
  /** SHA-256 of the decoded bytes, hex: the same file twice is one object in S3. */
  checksum: string;
}

export interface DroppedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  reason: 'too-large';
}

export interface InboundMail {
  /** The Message-ID with its angle brackets (`<x@y>`), as In-Reply-To and References quote it; null when the mail has none. */
  messageId: string | null;
  inReplyTo: string | null;
  /** Oldest first, as the header lists them, each `<x@y>`. */
  references: string[];
  from: { address: string; name: string | null };
  to: string[];
  cc: string[];
  subject: string;
  /** What the sender wrote, the quoted earlier conversation taken off when it was obvious. */
  text: string;
  /** The quoted conversation taken off `text` (attribution line included), or null. */
  quoted: string | null;
  /** The `Date:` header as an ISO instant, or null when missing or unreadable. Not when we received it. */
  sentAt: string | null;
  headers: Partial<Record<ClassificationHeader, string>>;
  attachments: InboundAttachment[];
  /** Attachments over the limit: not kept, listed so the case can say what was not stored. */
  droppedAttachments: DroppedAttachment[];
}

export type InboundRefusalReason = 'too-large' | 'malformed' | 'no-sender';
export type ParsedInbound = { ok: true; mail: InboundMail } | { ok: false; reason: InboundRefusalReason; detail: string };

/** Never throws: a message we cannot use is a refusal with a reason the sender or an operator can read. */
export async function parseInboundMail(raw: Buffer | string, limits: Partial<InboundLimits> = {}): Promise<ParsedInbound> {
  const { maxRawBytes, maxAttachmentBytes } = { ...DEFAULT_INBOUND_LIMITS, ...limits };
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
  if (size > maxRawBytes) return { ok: false, reason: 'too-large', detail: `The message is ${size} bytes; at most ${maxRawBytes} are accepted` };
  if (size === 0) return { ok: false, reason: 'malformed', detail: 'The message is empty' };

  try {
    // Our own HTML-to-text below: bounded and predictable, and the html-to-text pass is skipped.
    const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    return toInboundMail(parsed, maxAttachmentBytes);
  } catch (error) {
    // The parser's own failures, and anything unforeseen after it: a refusal, never a 500.
    return { ok: false, reason: 'malformed', detail: `The message cannot be parsed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function toInboundMail(parsed: ParsedMail, maxAttachmentBytes: number): ParsedInbound {
  const headers = classificationHeaders(parsed.headerLines);
  if (!hasHeader(parsed.headerLines, 'from')) return { ok: false, reason: 'malformed', detail: 'The message has no From header (is it a mail at all?)' };
  const sender = firstAddress(parsed.from);
  if (!sender) return { ok: false, reason: 'no-sender', detail: 'The From header names no valid address' };

  const body = parsed.text?.trim() ? parsed.text : parsed.html ? htmlToText(parsed.html) : '';
  const { text, quoted } = splitQuoted(normalizeNewlines(body));

  const attachments: InboundAttachment[] = [];
  const droppedAttachments: DroppedAttachment[] = [];
  for (const a of parsed.attachments) {
    const meta = { filename: a.filename ?? null, contentType: a.contentType, size: a.content.length };
    if (meta.size > maxAttachmentBytes) droppedAttachments.push({ ...meta, reason: 'too-large' });
    else attachments.push({ ...meta, checksum: createHash('sha256').update(a.content).digest('hex') });
  }

  return {
    ok: true,
    mail: {
      messageId: normalizeMessageId(parsed.messageId),
      inReplyTo: messageIdsIn(parsed.inReplyTo)[0] ?? null,
      references: messageIdsIn(Array.isArray(parsed.references) ? parsed.references.join(' ') : parsed.references),
      from: sender,
      to: addressesOf(parsed.to),
      cc: addressesOf(parsed.cc),
      subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
      text,
      quoted,
      sentAt: sentAtOf(parsed.headerLines),
      headers,
      attachments,
      droppedAttachments,
    },
  };
}

/** `<x@y>` with its brackets, whitespace removed; a bare `x@y` gets them. Case is kept: RFC 5322 does not fold it. */
export function normalizeMessageId(value: string | undefined | null): string | null {
  return messageIdsIn(value)[0] ?? null;
}

/** Every `<...>` id in a header value (References lists several, separated by spaces or folds). */
export function messageIdsIn(value: string | undefined | null): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  const bare = value.trim();
  return /^[^<>\s]+@[^<>\s]+$/.test(bare) ? [`<${bare}>`] : [];
}

function validAddress(address: string | undefined): string | null {
  if (!address) return null;
  const checked = email.safeParse(address.trim());
  return checked.success ? checked.data.toLowerCase() : null;
}

function firstAddress(from: AddressObject | undefined): { address: string; name: string | null } | null {
  for (const entry of from?.value ?? []) {
    const address = validAddress(entry.address);
    if (address) return { address, name: entry.name?.trim() || null };
  }
  return null;
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  // Groups (`undisclosed-recipients:;`) nest their members one level down.
  const entries = objects.flatMap((o) => o.value).flatMap((e) => (e.group ? e.group : [e]));
  return [...new Set(entries.map((e) => validAddress(e.address)).filter((a): a is string => a !== null))];
}

const hasHeader = (lines: HeaderLines, name: string) => lines.some((l) => l.key === name);
const headerValue = (lines: HeaderLines, name: string) => {
  const line = lines.find((l) => l.key === name)?.line;
  return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
};

/**
 * The Date header, read ourselves: mailparser puts the current time for one it cannot read, which
 * would make the same mail delivered twice two different mails (inboundMessageKey).
 */
function sentAtOf(lines: HeaderLines): string | null {
  const value = headerValue(lines, 'date');
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function classificationHeaders(lines: HeaderLines): Partial<Record<ClassificationHeader, string>> {
  const found: Partial<Record<ClassificationHeader, string>> = {};
  for (const name of CLASSIFICATION_HEADERS) {
    // The first occurrence wins: a header added on the way (Return-Path) sits on top.
    const value = headerValue(lines, name);
    if (value !== undefined) found[name] = value;
  }
  return found;
}

const normalizeNewlines = (text: string) => text.replace(/\r\n?/g, '\n');

/** HTML bodies are converted at most this far: anything longer is not a message a person wrote. */
export const HTML_TO_TEXT_MAX_CHARS = 1_000_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text from an HTML body, when a mail has no text part: invisible elements dropped, blocks
 * become lines, tags removed, entities decoded. Scans with indexOf and regular expressions that
 * stop at the next `<`, so time is linear in the input; the result is text, never markup to render.
 */
export function htmlToText(html: string): string {
  let source = html.slice(0, HTML_TO_TEXT_MAX_CHARS);
  const lower = source.toLowerCase();
  let kept = '';
  let at = 0;
  // <script>, <style>, <head>, <title> and comments carry no text a reader saw.
  for (;;) {
    const open = nextInvisible(lower, at);
    if (!open) break;
    kept += source.slice(at, open.index);
    const close = lower.indexOf(open.close, open.index + open.open.length);
    if (close === -1) {
      at = source.length;
      break;
    }
    at = close + open.close.length;
  }
  source = kept + source.slice(at);
  return source
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^<>]*>/gi, '\n- ')
    .replace(/<\/(p|div|h[1-6]|tr|table|blockquote|ul|ol)\s*>/gi, '\n')
    .replace(/<(p|div|h[1-6]|tr|table|blockquote)\b[^<>]*>/gi, '\n')
    // A stray `<` ends a tag scan ([^<>], not [^>]): `<<<<` without `>` stays linear.
    .replace(/<[^<>]*>/g, '')
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => decodeEntity(whole, name))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const INVISIBLE = [
  ['<!--', '-->'],
  ['<script', '</script>'],
  ['<style', '</style>'],
  ['<head', '</head>'],
  ['<title', '</title>'],
] as const;

function nextInvisible(lower: string, from: number) {
  let best: { index: number; open: string; close: string } | null = null;
  for (const [open, close] of INVISIBLE) {
    const index = lower.indexOf(open, from);
    if (index !== -1 && (!best || index < best.index)) best = { index, open, close };
  }
  return best;
}

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
  }
  return ENTITIES[name.toLowerCase()] ?? whole;
}

// "On Mon, 7 Dec 2026 at 10:00, Ann <ann@example.com> wrote:" and its usual translations.
const ATTRIBUTION = /^(On\s.+\swrote|Am\s.+\sschrieb\s.+|Le\s.+\sa\sécrit|El\s.+\sescribió)\s?:\s*$/i;
const ATTRIBUTION_MAX_CHARS = 300;
const OUTLOOK_SEPARATOR = /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i;

/**
 * The text the sender wrote, and the earlier conversation they quoted below it: a trailing block
 * of `>` lines (with the attribution line above it), or everything from Outlook's "Original
 * Message" separator. Quoting interleaved with the answer is left alone: it is not obvious.
 */
export function splitQuoted(body: string): { text: string; quoted: string | null } {
  const lines = body.split('\n');
  let cut = lines.findIndex((l) => OUTLOOK_SEPARATOR.test(l.trim()));
  if (cut === -1) {
    let end = lines.length;
    const quoteOrBlank = (line = '') => line.trim() === '' || line.startsWith('>');
    while (end > 0 && quoteOrBlank(lines[end - 1])) end--;
    const hasQuote = lines.slice(end).some((l) => l.startsWith('>'));
    if (!hasQuote) return { text: body.trim(), quoted: null };
    cut = end;
    let above = end;
    while (above > 0 && !lines[above - 1]?.trim()) above--;
    const attribution = lines[above - 1]?.trim() ?? '';
    // A long line is no attribution, and the pattern's backtracking grows with the length.
    if (above > 0 && attribution.length <= ATTRIBUTION_MAX_CHARS && ATTRIBUTION.test(attribution)) cut = above - 1;
  }
  const text = lines.slice(0, cut).join('\n').trim();
  // Nothing but a quote: keep it all as the text rather than store an empty message.
  if (!text) return { text: body.trim(), quoted: null };
  return { text, quoted: lines.slice(cut).join('\n').trim() };
}
