import * as z from 'zod/mini';
import { MARKETING_SETTINGS_DEFAULTS, marketingSettingsInput, type marketingSettingsView, WELCOME_LANGUAGES } from '../../shared/consent/marketing-settings';
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
  welcomeEmail: z.object({ enabled: z.boolean(), templateId: z.nullable(z.string()), topic: z.string(), language: z.enum(WELCOME_LANGUAGES) }),
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
    // Reads the recipient's consent to show it; writes nothing.
    access: { table: 'read', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Unsubscribe page and preference centre (public)',
      description:
        "The link in the footer of marketing mail. Answers a small `text/html` page with the link's topic as it stands (subscribed: a button that POSTs the one-click body to the same URL; " +
        'unsubscribed: says so) and the preference centre: every topic the recipient has consent on record for, each with its state, in a form that POSTs to `/unsubscribe/{token}/preferences`. ' +
        'Subscribing again is offered only for a topic an unsubscribe link opted out of. GET itself changes nothing, because mail scanners and link previews follow every link. ' +
        'The page names no person, address or tenant; an erased or unknown recipient gets the "unsubscribed" page. No token needed.',
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
    method: 'POST',
    path: '/unsubscribe/{token}/preferences',
    auth: 'none',
    publicBecause: 'The preference centre behind an unsubscribe link (recipients have no account): the HMAC-signed token names the one recipient, a tampered token gets a 400, and it can only opt out, or opt in again where a link opted out (docs/marketing.md).',
    handler: 'functions/consent/save-preferences.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Save email preferences (preference centre, public)',
      description:
        'The preference centre\'s form, `application/x-www-form-urlencoded`: one field per topic, `<topic>=in` or `<topic>=out`; a topic not sent stays as it is. ' +
        '`out` records `{granted: false, source: "unsubscribe-link"}`; `in` records `{granted: true, source: "unsubscribe-link"}` and is allowed only where an unsubscribe link opted out. ' +
        'One `consent` timeline entry per save and `crm.customer.updated.v1`, in one transaction conditioned on the version read; unchanged answers keep their evidence. ' +
        "Opting out of the link's topic counts on the mail's campaign or automation like the one-click POST. Answers the page as it now stands (`text/html`).",
      tags: ['Marketing'],
      pathParameters: token,
      success: { status: 200, description: 'Saved; the page with the preferences as they now stand (text/html).' },
      errors: { 400: `${badToken} Or a field is not a topic with \`in\` or \`out\`, or asks to subscribe to a topic the link may not give back (\`validation-failed\`, the path names the topic).` },
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
        `offer lock length in days, and the welcome mail (\`welcomeEmail\`: on or off, the template, null for the built-in default, its consent topic, and the built-in default's \`language\`: ${WELCOME_LANGUAGES.join(', ')}). Until a marketer saves them: the defaults (${settingsDefaults}), \`isDefault: true\`, version 0 (ETag "0"). Any user of the tenant.`,
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
        'Replaces the whole settings (`offerLockDays`, `welcomeEmail` left out: the defaults; `welcomeEmail.templateId` must name a template of the tenant). `maxEmails` 1-100, `windowDays` 1-90, `offerLockDays` 1-90. ' +
        'If-Match names the version edited (`"0"` for the defaults). Sends reserved from then on use the new cap; sends already recorded still count. Marketers and admins.',
      tags: ['Marketing'],
      requestBody: { schema: marketingSettingsInput, description: 'The whole settings. Unknown fields are rejected by name.' },
      ifMatch: true,
      success: { status: 200, description: 'The settings stored.', schema: marketingSettingsResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema (`frequencyCap.maxEmails`, `frequencyCap.windowDays`, `offerLockDays`, `welcomeEmail.topic`), names no template of the tenant (`welcomeEmail.templateId`), or If-Match is not an ETag such as "3" (`validation-failed`).',
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
