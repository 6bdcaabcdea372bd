import * as z from 'zod/mini';
import { MARKETING_SETTINGS_DEFAULTS, marketingSettingsInput, type marketingSettingsView } from '../../shared/consent/marketing-settings';
import { addSuppressionInput, SUPPRESSION_PAGE_SIZE, SUPPRESSION_REASONS } from '../../shared/consent/suppression';
import { staleVersion } from '../responses/common';
import { areaRoutes } from '../route';

const suppressionResponse = z.object({
  email: z.nullable(z.string()),
  erased: z.boolean(),
  reason: z.enum(SUPPRESSION_REASONS),
  at: z.string(),
  messageId: z.nullable(z.string()),
  addedBy: z.nullable(z.string()),
  note: z.nullable(z.string()),
});
const token = { token: 'The signed token of the link (`<payload>.<signature>`, base64url); it names tenant, customer (and contact), topic and issue time.' };
const badToken = 'The token is not one this stage signed, or was changed (`malformed-request`); the answer says nothing more.';

const marketingSettingsResponse = z.object({
  frequencyCap: z.object({ maxEmails: z.number(), windowDays: z.number() }),
  offerLockDays: z.number(),
  doubleOptIn: z.boolean(),
  isDefault: z.boolean(),
  version: z.number(),
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
});
const settingsDefaults = `${MARKETING_SETTINGS_DEFAULTS.frequencyCap.maxEmails} emails per ${MARKETING_SETTINGS_DEFAULTS.frequencyCap.windowDays} days, offers locked for ${MARKETING_SETTINGS_DEFAULTS.offerLockDays} days`;

/** Consent: unsubscribe links (public), the suppression list, and the frequency cap and offer lock settings (docs/marketing.md). */
export const CONSENT_ROUTES = areaRoutes('consent', 'marketing', [
  {
    method: 'GET',
    path: '/unsubscribe/{token}',
    auth: 'none',
    publicBecause: 'Unsubscribe links in marketing mail are public by design (RFC 8058 one-click, recipients have no account): the HMAC-signed token names the one customer and topic, a tampered token gets a 400, and GET changes nothing (docs/marketing.md).',
    handler: 'functions/consent/show-unsubscribe.ts',
    // The confirmation page only verifies the token: no table access at all.
    access: { unsubscribeSecret: 'read' },
    doc: {
      summary: 'Unsubscribe confirmation page (public)',
      description:
        'The link in the footer of marketing mail. Answers a small `text/html` page whose button POSTs to the same URL; GET itself changes nothing, ' +
        'because mail scanners and link previews follow every link. The page names no person or address. No token needed.',
      tags: ['Marketing'],
      pathParameters: token,
      success: { status: 200, description: 'The confirmation page (text/html).' },
      errors: { 400: badToken },
    },
  },
  {
    method: 'POST',
    path: '/unsubscribe/{token}',
    auth: 'none',
    publicBecause: 'Unsubscribe links in marketing mail are public by design (RFC 8058 one-click, recipients have no account): the HMAC-signed token names the one customer and topic, a tampered token gets a 400, and GET changes nothing (docs/marketing.md).',
    handler: 'functions/consent/unsubscribe.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Unsubscribe (RFC 8058 one-click, public)',
      description:
        'What mail clients send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (body `List-Unsubscribe=One-Click`, form encoded; the body is not required) ' +
        "and what the confirmation page's button sends. Records the opt-out of the token's topic on the customer, or on the contact the mail went to, " +
        'as consent `{granted: false, source: "unsubscribe-link"}` with an `unsubscribe` timeline entry and `crm.customer.updated.v1`; the next batch of a campaign no longer selects them. ' +
        'Idempotent: a repeat changes nothing. A merged customer\'s link applies to the survivor; an erased customer gets the same page. Answers a `text/html` page.',
      tags: ['Marketing'],
      pathParameters: token,
      success: { status: 200, description: 'Unsubscribed (text/html).' },
      errors: { 400: badToken },
    },
  },
  {
    method: 'GET',
    path: '/suppressions',
    auth: 'jwt',
    handler: 'functions/consent/list-suppressions.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's suppression list",
      description:
        'Addresses no marketing mail goes to: hard bounces and complaints (from SES events, with the message id) and manual entries. ' +
        '`email` is null (`erased: true`) for an address whose customer was erased: the entry keeps suppressing by hash. Marketers and admins. One Query per page.',
      tags: ['Marketing'],
      queryParameters: {
        limit: { description: `Page size, 1..${SUPPRESSION_PAGE_SIZE.max} (default ${SUPPRESSION_PAGE_SIZE.default}).`, schema: z.string() },
        cursor: { description: 'The `cursor` of the previous page.', schema: z.string() },
      },
      success: { status: 200, description: 'A page of entries (ordered by address hash).', schema: z.object({ items: z.array(suppressionResponse), cursor: z.nullable(z.string()) }) },
      errors: { 400: 'A bad `limit` or `cursor` (`validation-failed`).', 403: 'Only marketers and admins use the suppression list (`forbidden`).' },
    },
  },
  {
    method: 'POST',
    path: '/suppressions',
    auth: 'jwt',
    handler: 'functions/consent/add-suppression.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Suppress an address',
      description: 'Adds a manual entry; an address already suppressed (for any reason) stays as recorded and answers 200. Marketers and admins.',
      tags: ['Marketing'],
      requestBody: { schema: addSuppressionInput, description: 'The address and an optional note.' },
      success: { status: 201, description: 'Added (200 `{email, alreadySuppressed: true}` when it was suppressed already).', schema: suppressionResponse },
      errors: { 400: 'Not an email address (`validation-failed`, path `email`).', 403: 'Only marketers and admins use the suppression list (`forbidden`).' },
    },
  },
  {
    method: 'DELETE',
    path: '/suppressions/{email}',
    auth: 'jwt',
    handler: 'functions/consent/remove-suppression.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Remove an address from the suppression list',
      description: 'Mail may go to the address again (consent permitting). Admins only; SES keeps its own account-level suppression list.',
      tags: ['Marketing'],
      pathParameters: { email: 'The address (URL-encoded or not; case does not matter).' },
      success: { status: 204, description: 'Removed.' },
      errors: { 400: 'Not an email address (`validation-failed`, path `email`).', 403: 'Only admins remove suppressions (`forbidden`).', 404: 'The address is not suppressed (`not-found`).' },
    },
  },
  {
    method: 'GET',
    path: '/marketing-settings',
    auth: 'jwt',
    handler: 'functions/consent/get-marketing-settings.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's marketing settings",
      description:
        'The frequency cap (at most `maxEmails` marketing emails per customer in any rolling `windowDays`, across campaigns and automations) and the default ' +
        `offer lock length in days. Until a marketer saves them: the defaults (${settingsDefaults}), \`isDefault: true\`, version 0 (ETag "0"). Any user of the tenant.`,
      tags: ['Marketing'],
      success: { status: 200, description: 'The settings.', schema: marketingSettingsResponse, headers: ['ETag'] },
    },
  },
  {
    method: 'PUT',
    path: '/marketing-settings',
    auth: 'jwt',
    handler: 'functions/consent/put-marketing-settings.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Replace the marketing settings',
      description:
        'Replaces the whole settings (`offerLockDays` left out: the default). `maxEmails` 1-100, `windowDays` 1-90, `offerLockDays` 1-90. ' +
        'If-Match names the version edited (`"0"` for the defaults). Sends reserved from then on use the new cap; sends already recorded still count. Marketers and admins.',
      tags: ['Marketing'],
      requestBody: { schema: marketingSettingsInput, description: 'The whole settings. Unknown fields are rejected by name.' },
      ifMatch: true,
      success: { status: 200, description: 'The settings stored.', schema: marketingSettingsResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema (`frequencyCap.maxEmails`, `frequencyCap.windowDays`, `offerLockDays`), or If-Match is not an ETag such as "3" (`validation-failed`).',
        403: 'Only marketers and admins may change marketing settings (`forbidden`).',
        412: staleVersion('settings'),
      },
    },
  },
]);

// The documented responses must describe what the code returns (compile-time only).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _MarketingSettingsResponseMatchesTheCode = Holds<Same<z.output<typeof marketingSettingsResponse>, ReturnType<typeof marketingSettingsView>>>;
