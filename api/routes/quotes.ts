import { createQuoteInput, quotePatch } from '../../shared/quotes/quote';
import { staleVersion } from '../responses/common';
import { quoteResponse, quoteRevisionsResponse } from '../responses/processes';
import { areaRoutes } from '../route';

const quoteId = { id: 'Quote id' };
const notVisible = 'No such quote, or one you may not work on (its owner, managers and admins may).';

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
]);
