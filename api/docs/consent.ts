import * as z from 'zod/mini';
import { addSuppressionInput, SUPPRESSION_PAGE_SIZE, SUPPRESSION_REASONS } from '../../shared/consent/suppression';
import type { RouteDescription, RouteKey } from '../route-docs';

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

/** Marketing: unsubscribe links (public) and the suppression list. */
export const CONSENT_ROUTES: Readonly<Record<RouteKey, RouteDescription>> = {
  'GET /unsubscribe/{token}': {
    summary: 'Unsubscribe confirmation page (public)',
    description:
      'The link in the footer of marketing mail. Answers a small `text/html` page whose button POSTs to the same URL; GET itself changes nothing, ' +
      'because mail scanners and link previews follow every link. The page names no person or address. No token needed.',
    tags: ['Marketing'],
    pathParameters: token,
    success: { status: 200, description: 'The confirmation page (text/html).' },
    errors: { 400: badToken },
  },
  'POST /unsubscribe/{token}': {
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
  'GET /suppressions': {
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
  'POST /suppressions': {
    summary: 'Suppress an address',
    description: 'Adds a manual entry; an address already suppressed (for any reason) stays as recorded and answers 200. Marketers and admins.',
    tags: ['Marketing'],
    requestBody: { schema: addSuppressionInput, description: 'The address and an optional note.' },
    success: { status: 201, description: 'Added (200 `{email, alreadySuppressed: true}` when it was suppressed already).', schema: suppressionResponse },
    errors: { 400: 'Not an email address (`validation-failed`, path `email`).', 403: 'Only marketers and admins use the suppression list (`forbidden`).' },
  },
  'DELETE /suppressions/{email}': {
    summary: 'Remove an address from the suppression list',
    description: 'Mail may go to the address again (consent permitting). Admins only; SES keeps its own account-level suppression list.',
    tags: ['Marketing'],
    pathParameters: { email: 'The address (URL-encoded or not; case does not matter).' },
    success: { status: 204, description: 'Removed.' },
    errors: { 400: 'Not an email address (`validation-failed`, path `email`).', 403: 'Only admins remove suppressions (`forbidden`).', 404: 'The address is not suppressed (`not-found`).' },
  },
};
