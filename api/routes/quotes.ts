import { createQuoteInput, quotePatch, sendQuoteInput } from '../../shared/quotes/quote';
import { staleVersion } from '../responses/common';
import { quoteResponse, quoteRevisionsResponse } from '../responses/processes';
import { areaRoutes } from '../route';

const quoteId = { id: 'Quote id' };
const notVisible = 'No such quote, or one you may not work on (its owner, managers and admins may).';
const token = { token: 'The signed token of the link (`<payload>.<signature>`, base64url); it names the tenant, customer, quote and the sending it came with.' };
const badToken = 'The token is not one this stage signed, or was changed (`malformed-request`); the answer says nothing more.';
const closed =
  'The link cannot be answered any more (`quote-link-closed`): the quote expired (`validUntil` passed), was revised and sent again (a newer link replaced this one), or is gone with its customer.';
const publicBecause =
  'The link in the mail that sends a quote is public by design (the customer has no account): the HMAC-signed token names the one quote and sending, a tampered token gets a 400, and GET records nothing (docs/processes.md, "Sending a quote").';

/** Quotes: priced, revised, approved as the tenant's policy asks (docs/processes.md, "Quotes"). */
export const QUOTES_ROUTES = areaRoutes('quotes', 'processes', [
  {
    method: 'POST',
    path: '/quotes',
    auth: 'jwt',
    handler: 'functions/quotes/create-quote.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Draft a quote',
      description:
        "A draft for a customer you may read, numbered Q-<year>-<n>. Each line is priced from its product in the quote's currency (or at its `unitPrice`); totals follow one rounding rule " +
        '(per line, half away from zero, at each step: gross, line discount, quote discount, net, tax; totals are sums of the lines).',
      tags: ['Processes'],
      requestBody: { schema: createQuoteInput, description: 'The quote.' },
      success: { status: 201, description: 'Drafted.', schema: quoteResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'Invalid body: an unknown or inactive product, a price the currency cannot hold, a negative or zero quantity, a discount over 100 %, a customer you may not read; each named in `errors` (`lines.2.productId`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/quotes/{id}',
    auth: 'jwt',
    handler: 'functions/quotes/get-quote.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a quote',
      description: 'With its lines, figures per line, totals, tax breakdown and the state of its approval.',
      tags: ['Processes'],
      pathParameters: quoteId,
      success: { status: 200, description: 'The quote.', schema: quoteResponse, headers: ['ETag'] },
      errors: { 404: notVisible },
    },
  },
  {
    method: 'PATCH',
    path: '/quotes/{id}',
    auth: 'jwt',
    handler: 'functions/quotes/update-quote.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Revise a quote',
      description:
        'A new version (the previous one is kept, GET /quotes/{id}/revisions), back to draft. A quote under approval can be revised: its process ends as recalled in the same commit, ' +
        'since an approval is for the version it started with. With If-Match.',
      tags: ['Processes'],
      pathParameters: quoteId,
      requestBody: { schema: quotePatch, description: 'The fields to change; `lines` replaces every line.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'Revised.', schema: quoteResponse, headers: ['ETag'] },
      errors: { 400: 'Invalid body, as for drafting.', 404: notVisible, 409: 'Sent, accepted, rejected or expired quotes are not revised (`quote-status`).', 412: staleVersion('quote') },
    },
  },
  {
    method: 'GET',
    path: '/quotes/{id}/revisions',
    auth: 'jwt',
    handler: 'functions/quotes/list-quote-revisions.ts',
    access: { table: 'read' },
    doc: {
      summary: "A quote's earlier versions",
      description: 'Every version before the current one, oldest first, as it was.',
      tags: ['Processes'],
      pathParameters: quoteId,
      success: { status: 200, description: 'The versions.', schema: quoteRevisionsResponse },
      errors: { 404: notVisible },
    },
  },
  {
    method: 'POST',
    path: '/quotes/{id}/submit',
    auth: 'jwt',
    handler: 'functions/quotes/submit-quote.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Submit a quote for approval',
      description:
        "The tenant's `quote-discount` policy picks a chain of approval steps by the quote's highest discount, total, product categories and customer level; when no rule applies " +
        'the quote is approved at once. Otherwise it waits in `pending-approval` while the approval flow walks the chain (GET /processes/{id}). If-Match optional.',
      tags: ['Processes'],
      pathParameters: quoteId,
      success: { status: 200, description: 'Submitted: `pending-approval`, or `approved` with `approval.status: not-required`.', schema: quoteResponse, headers: ['ETag'] },
      errors: { 404: notVisible, 409: 'Not a draft (`quote-status`), or nobody active can approve a step (`no-approver`).', 412: staleVersion('quote') },
    },
  },
  {
    method: 'POST',
    path: '/quotes/{id}/recall',
    auth: 'jwt',
    handler: 'functions/quotes/recall-quote.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Recall a quote from approval',
      description: 'Back to draft; the process ends as recalled, its pending approvals leave the inboxes and the flow stops.',
      tags: ['Processes'],
      pathParameters: quoteId,
      success: { status: 200, description: 'Recalled.', schema: quoteResponse, headers: ['ETag'] },
      errors: { 404: notVisible, 409: 'Not under approval (`quote-status`), or a decision came first.' },
    },
  },
  {
    method: 'POST',
    path: '/quotes/{id}/send',
    auth: 'jwt',
    handler: 'functions/quotes/send-quote.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Send a quote to the customer',
      description:
        'Mails an approved quote to the customer with a signed link to view it and accept or decline it (no login), valid until the end of `validUntil` (UTC). The quote becomes `sent` ' +
        "with `crm.quote.sent.v1` in one commit; the mail leaves from that event, once. It goes to the customer's first address, to a contact's (`contactId`), or to `to`, which must be an " +
        "address on record (the customer's, or the named contact's). Sending a sent quote again mails the same link again. Body `{}` for the defaults; If-Match optional.",
      tags: ['Processes'],
      pathParameters: quoteId,
      requestBody: { schema: sendQuoteInput, description: 'Whom to send it to, and a note above the link.' },
      success: { status: 200, description: 'Sent: the mail is on its way.', schema: quoteResponse, headers: ['ETag'] },
      errors: {
        400: 'No address on record (`to`), an address not on record (`to`), an unknown contact or one with no address (`contactId`).',
        404: notVisible,
        409: 'Not approved or sent (`quote-status`: drafts and quotes under approval are not sent), past its `validUntil` (`quote-expired`), or its customer was erased or merged.',
        412: staleVersion('quote'),
      },
    },
  },
  {
    method: 'GET',
    path: '/quote-links/{token}',
    auth: 'none',
    publicBecause,
    handler: 'functions/quotes/show-quote-link.ts',
    access: { table: 'read', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Quote page (public)',
      description:
        'The link of the mail that sends a quote: a `text/html` page with the lines, totals, terms and validity (no name or address), and two forms: accept (with the name that signs it) ' +
        'and decline (with an optional reason), each POSTing to this URL plus `/accept` or `/decline`. An answered quote shows its answer. GET records nothing: mail scanners fetch every link.',
      tags: ['Processes'],
      pathParameters: token,
      success: { status: 200, description: 'The quote page (text/html).' },
      errors: { 400: badToken, 410: closed },
    },
  },
  {
    method: 'POST',
    path: '/quote-links/{token}/accept',
    auth: 'none',
    publicBecause,
    handler: 'functions/quotes/accept-quote-link.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Accept a quote (public)',
      description:
        "The page's accept form (`application/x-www-form-urlencoded`: `signedBy`, the name that signs, up to 200 characters). In one transaction: the quote becomes `accepted` with the answer, " +
        "the order is placed (confirmed, owned by the quote's owner, its lines and prices; the customer's purchase figures move) and `crm.quote.answered.v1` and `crm.order.placed.v1` are " +
        'committed. Accepting again changes nothing. Answers a `text/html` page.',
      tags: ['Processes'],
      pathParameters: token,
      success: { status: 200, description: 'Accepted (text/html).' },
      errors: { 400: `${badToken} No name (\`signedBy\`).`, 409: 'The quote was declined already (`quote-answered`).', 410: closed },
    },
  },
  {
    method: 'POST',
    path: '/quote-links/{token}/decline',
    auth: 'none',
    publicBecause,
    handler: 'functions/quotes/decline-quote-link.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Decline a quote (public)',
      description:
        "The page's decline form (`application/x-www-form-urlencoded`: optional `reason`, up to 2,000 characters, kept on the quote and never on an event). The quote becomes `rejected` with the " +
        'answer and `crm.quote.answered.v1`, in one transaction. Declining again changes nothing. Answers a `text/html` page.',
      tags: ['Processes'],
      pathParameters: token,
      success: { status: 200, description: 'Declined (text/html).' },
      errors: { 400: `${badToken} A reason over 2,000 characters (\`reason\`).`, 409: 'The quote was accepted already (`quote-answered`).', 410: closed },
    },
  },
]);
