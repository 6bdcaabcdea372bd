import type { Lead } from '../leads/lead';
import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import type { FieldError } from '../errors';
import { escapeHtml } from '../html';

/**
 * Placeholders of email templates (docs/marketing.md): `{{customer.name}}`, `{{contact.title}}`,
 * `{{customer.customFields.tier}}`. Pure: the same functions build what SES stores, the data SES
 * fills in, and the preview, so a preview shows exactly what SES will send.
 */

/** The parts of a template, as SES names them. */
export interface TemplateContent {
  subject: string;
  html: string;
  text: string;
}
export const TEMPLATE_PARTS = ['subject', 'html', 'text'] as const satisfies readonly (keyof TemplateContent)[];

/** Fields of a customer a template may name, and how each becomes text. */
const CUSTOMER_FIELDS: Readonly<Record<string, (c: Customer) => unknown>> = {
  name: (c) => c.name,
  kind: (c) => c.kind,
  email: (c) => c.emails[0],
  phone: (c) => c.phones[0],
  website: (c) => c.website,
  domain: (c) => c.domain,
  industry: (c) => c.industry,
  region: (c) => c.region,
  level: (c) => c.level,
  lifecycleStage: (c) => c.lifecycleStage,
  source: (c) => c.source,
  'address.street': (c) => c.address?.street,
  'address.city': (c) => c.address?.city,
  'address.postalCode': (c) => c.address?.postalCode,
  'address.region': (c) => c.address?.region,
  'address.country': (c) => c.address?.country,
};

/** Fields of a contact (a person at a company customer): the recipient when a campaign mails contacts. */
const CONTACT_FIELDS: Readonly<Record<string, (c: Contact) => unknown>> = {
  name: (c) => c.name,
  title: (c) => c.title,
  email: (c) => c.emails[0],
  phone: (c) => c.phones[0],
};

export const CUSTOM_FIELDS_PREFIX = 'customer.customFields.';

/** The recipient's signed unsubscribe link, made at send time (docs/marketing.md, "Consent, unsubscribe and suppression"). */
export const UNSUBSCRIBE_PLACEHOLDER = 'unsubscribeUrl';

/** Every fixed placeholder, for error messages and the API description. */
export const KNOWN_PLACEHOLDERS: readonly string[] = [
  ...Object.keys(CUSTOMER_FIELDS).map((f) => `customer.${f}`),
  ...Object.keys(CONTACT_FIELDS).map((f) => `contact.${f}`),
  `${CUSTOM_FIELDS_PREFIX}<key>`,
  UNSUBSCRIBE_PLACEHOLDER,
];

// `{{ path }}` with dotted identifiers; anything else between `{{` and `}}` is refused.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*\}\}/g;
const OPENING = /\{\{/g;

/**
 * The placeholders of a template, checked: each must name a known field (custom fields: one the
 * tenant defined). SES templates are Handlebars; this accepts only plain `{{field}}`, so no
 * helper, block or raw output can change what a customer's data renders as. Errors name the part.
 */
export function checkPlaceholders(content: TemplateContent, customFieldKeys: ReadonlySet<string>): { placeholders: string[]; errors: FieldError[] } {
  const found = new Set<string>();
  const errors: FieldError[] = [];
  for (const part of TEMPLATE_PARTS) {
    const source = content[part];
    const starts = new Set<number>();
    for (const match of source.matchAll(PLACEHOLDER)) {
      starts.add(match.index);
      const path = match[1]!;
      const before = source[match.index - 1];
      if (before === '\\' || before === '{' || source[match.index + match[0].length] === '}') {
        errors.push({ path: part, message: `Write placeholders as {{field}}, without escapes or triple braces: ${match[0]}` });
      } else if (!isKnown(path, customFieldKeys)) {
        errors.push({ path: part, message: `Unknown placeholder {{${path}}}: use one of ${KNOWN_PLACEHOLDERS.join(', ')} (custom fields the tenant defined)` });
      } else {
        found.add(path);
      }
    }
    for (const opening of source.matchAll(OPENING)) {
      // `{{{x}}}` starts one brace earlier than its `{{x}}`; it is reported above.
      if (!starts.has(opening.index) && !starts.has(opening.index + 1)) {
        const snippet = source.slice(opening.index, opening.index + 30);
        errors.push({ path: part, message: `Only {{field}} placeholders are supported (no helpers or blocks): ${snippet}` });
        break;
      }
    }
  }
  return { placeholders: [...found].sort(), errors };
}

function isKnown(path: string, customFieldKeys: ReadonlySet<string>): boolean {
  if (path === UNSUBSCRIBE_PLACEHOLDER) return true;
  if (path.startsWith(CUSTOM_FIELDS_PREFIX)) return customFieldKeys.has(path.slice(CUSTOM_FIELDS_PREFIX.length));
  if (path.startsWith('customer.')) return path.slice('customer.'.length) in CUSTOMER_FIELDS;
  if (path.startsWith('contact.')) return path.slice('contact.'.length) in CONTACT_FIELDS;
  return false;
}

/** Template data as SES takes it: nested objects of strings, the html part's values escaped under `html`. */
export type TemplateData = { [key: string]: string | TemplateData };

/** How a value reads in a mail: empty for none, lists joined. Every placeholder gets a string (SES refuses missing ones). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText).join(', ');
  return String(value);
}


function setPath(target: TemplateData, path: string, value: string): void {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    node = typeof next === 'object' ? next : (node[segment] = {});
  }
  node[segments.at(-1)!] = value;
}

/** The value of one checked placeholder for a customer (and, when mailing a contact, that contact). */
export function placeholderValue(path: string, customer: Customer, contact: Contact | null): string {
  if (path.startsWith(CUSTOM_FIELDS_PREFIX)) return asText(customer.customFields[path.slice(CUSTOM_FIELDS_PREFIX.length)]);
  if (path.startsWith('customer.')) return asText(CUSTOMER_FIELDS[path.slice('customer.'.length)]?.(customer));
  if (path.startsWith('contact.')) return contact ? asText(CONTACT_FIELDS[path.slice('contact.'.length)]?.(contact)) : '';
  return '';
}

/**
 * The data of one recipient for the template's placeholders: what SendEmail/SendBulkEmail pass as
 * TemplateData, and what the preview renders with. Only the template's own placeholders: the
 * payload carries no more personal data than the mail shows.
 */
export function templateData(placeholders: readonly string[], customer: Customer, contact: Contact | null = null, unsubscribeUrl = ''): TemplateData {
  const data: TemplateData = {};
  const html: TemplateData = {};
  for (const path of placeholders) {
    const value = path === UNSUBSCRIBE_PLACEHOLDER ? unsubscribeUrl : placeholderValue(path, customer, contact);
    setPath(data, path, value);
    setPath(html, path, escapeHtml(value));
  }
  // The footer withUnsubscribeLink adds reads the link whether or not the template names it.
  data[UNSUBSCRIBE_PLACEHOLDER] = unsubscribeUrl;
  html[UNSUBSCRIBE_PLACEHOLDER] = escapeHtml(unsubscribeUrl);
  return { ...data, html };
}

/**
 * The data of a lead for a customer's template (a leads campaign): the lead's own fields fill the
 * `customer.*` placeholders they match (name, email, phone, domain, industry, region, source), and
 * the rest, which a lead does not have, are empty.
 */
export function leadTemplateData(placeholders: readonly string[], lead: Lead, unsubscribeUrl = ''): TemplateData {
  const asCustomer = {
    name: lead.name ?? '',
    kind: 'person',
    emails: lead.email ? [lead.email] : [],
    phones: lead.phone ? [lead.phone] : [],
    website: null,
    domain: lead.domain,
    industry: lead.industry,
    region: lead.region,
    level: null,
    lifecycleStage: 'lead',
    source: lead.source,
    address: null,
    customFields: {},
  } as unknown as Customer;
  return templateData(placeholders, asCustomer, null, unsubscribeUrl);
}

const mentionsUnsubscribe = (source: string) =>
  [...source.matchAll(PLACEHOLDER)].some((m) => m[1] === UNSUBSCRIBE_PLACEHOLDER);

/**
 * Every marketing mail carries a visible unsubscribe link: a template whose html or text part
 * does not place `{{unsubscribeUrl}}` itself gets a footer with it there. What SES stores and
 * what the preview renders both go through this, so the preview shows the footer too.
 */
export function withUnsubscribeLink(content: TemplateContent): TemplateContent {
  return {
    subject: content.subject,
    html: mentionsUnsubscribe(content.html)
      ? content.html
      : `${content.html}\n<p style="font-size:12px;color:#666"><a href="{{${UNSUBSCRIBE_PLACEHOLDER}}}">Unsubscribe</a> from these emails.</p>`,
    text: mentionsUnsubscribe(content.text) ? content.text : `${content.text}\n\nUnsubscribe from these emails: {{${UNSUBSCRIBE_PLACEHOLDER}}}\n`,
  };
}

function lookup(data: TemplateData | string | undefined, path: string): string {
  let node: TemplateData | string | undefined = data;
  for (const segment of path.split('.')) node = typeof node === 'object' ? node[segment] : undefined;
  return typeof node === 'string' ? node : '';
}

/** What SES sends for this data: the html part reads the escaped values, subject and text the plain ones. */
export function renderTemplate(content: TemplateContent, data: TemplateData): TemplateContent {
  const fill = (source: string, from: TemplateData | string | undefined) => source.replace(PLACEHOLDER, (_, path: string) => lookup(from, path));
  return { subject: fill(content.subject, data), html: fill(content.html, data.html), text: fill(content.text, data) };
}

/**
 * The template as SES stores it. Triple braces are Handlebars' unescaped output, so SES inserts
 * exactly the strings `templateData` prepared, whatever its own escaping default: the html part
 * reads `html.*` (escaped here), subject and text the plain values.
 */
export function sesTemplateContent(content: TemplateContent): TemplateContent {
  const compile = (source: string, prefix: string) => source.replace(PLACEHOLDER, (_, path: string) => `{{{${prefix}${path}}}}`);
  const linked = withUnsubscribeLink(content);
  return { subject: compile(linked.subject, ''), html: compile(linked.html, 'html.'), text: compile(linked.text, '') };
}
