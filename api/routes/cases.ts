import * as z from 'zod/mini';
import { CASE_PAGE_SIZE, caseMessageInput, casePatch, openCaseInput } from '../../shared/cases/case';
import { orderCaseInput } from '../../shared/cases/after-sales';
import { addedMessageResponse, casePageResponse, caseResponse, caseWithThreadResponse, orderCasesResponse } from '../responses/cases';
import { staleVersion } from '../responses/common';
import { areaRoutes } from '../route';

const caseId = { id: 'Case id' };
const staff = 'Only agents, managers and admins work cases (`forbidden`).';
const notFound = 'No such case in your tenant (`not-found`).';
const closed = 'The case is closed (`case-closed`).';

/** Service cases (docs/service.md, "Cases"). */
export const CASES_ROUTES = areaRoutes('cases', 'service', [
  {
    method: 'POST',
    path: '/cases',
    auth: 'jwt',
    handler: 'functions/cases/open-case.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Open a case',
      description:
        'A customer request: for `customerId`, or for the customer holding `email` (the requester\'s address); when nobody holds it, a new unowned person customer is ' +
        'created with that address (`customerCreated` on the event). Replies go to `email`, else the customer\'s first address. New cases wait in the queue (`status: new`) ' +
        'unless `assigneeId` names an agent (`open`). With `orderId` the case is about that order (after-sales): the order\'s customer is the case\'s (`customerId` may be left out). ' +
        'Commits `crm.case.opened.v1`. Agents, managers and admins.',
      tags: ['Service'],
      requestBody: { schema: openCaseInput, description: 'The case. `priority` defaults to normal, `category` to general, `channel` to api.' },
      success: { status: 201, description: 'Opened.', schema: caseResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'The body fails the schema; neither `customerId` nor `email`; an unknown or merged `customerId`; an `assigneeId` that is not an active user; an unknown `orderId`, or one of another customer. Each named in `errors`.',
        403: staff,
      },
    },
  },
  {
    method: 'GET',
    path: '/cases',
    auth: 'jwt',
    handler: 'functions/cases/list-cases.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List cases',
      description: 'One page of an assignee\'s cases or the queue\'s, active (new, open, pending-customer) or done (resolved, closed) or of one status; one Query per page. Agents read their own and the queue, managers and admins anyone\'s.',
      tags: ['Service'],
      queryParameters: {
        assignee: { description: '`me` (default), `queue` (unassigned) or a user id.', schema: z.string() },
        status: { description: '`active` (default), `done`, or one status.', schema: z.string() },
        limit: { description: `Page size, ${CASE_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(CASE_PAGE_SIZE.max)), CASE_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: 'One page.', schema: casePageResponse },
      errors: { 400: 'An unknown `status`, a bad `limit` or `cursor` (`validation-failed`, paths `query.<name>`).', 403: `${staff} Agents list only their own cases and the queue.` },
    },
  },
  {
    method: 'GET',
    path: '/cases/{id}',
    auth: 'jwt',
    handler: 'functions/cases/get-case.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a case with its thread',
      description: 'The case and its messages, oldest first, in one Query. Service staff, and whoever may read its customer.',
      tags: ['Service'],
      pathParameters: caseId,
      success: { status: 200, description: 'The case.', schema: caseWithThreadResponse, headers: ['ETag'] },
      errors: { 404: notFound },
    },
  },
  {
    method: 'PATCH',
    path: '/cases/{id}',
    auth: 'jwt',
    handler: 'functions/cases/update-case.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Change a case',
      description: 'Merge patch with If-Match: subject, priority, category, status (open, pending-customer, resolved) and assignee (`null` puts it back in the queue; assigning a new case opens it). Commits `crm.case.status-changed.v1` when the status or assignee changes.',
      tags: ['Service'],
      pathParameters: caseId,
      requestBody: { schema: casePatch, description: 'The fields to change.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'Changed.', schema: caseResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema, or `assigneeId` is not an active user (named in `errors`).',
        403: staff,
        404: notFound,
        409: closed,
        410: 'The case\'s customer was merged or erased meanwhile (`gone`).',
        412: staleVersion('case'),
      },
    },
  },
  {
    method: 'POST',
    path: '/cases/{id}/messages',
    auth: 'jwt',
    handler: 'functions/cases/add-case-message.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Reply on a case, or add an internal note',
      description:
        'A reply (`internal: false`, the default) is mailed to the case\'s requester once it is committed, with the case in its subject and an `X-CRM-Case` header; the case then ' +
        'waits for the customer (`status`, default `pending-customer`; `open` or `resolved` instead). The first reply sets `firstResponseAt`. An internal note is for colleagues and leaves the status alone. ' +
        'Commits `crm.case.message-added.v1` (and `crm.case.status-changed.v1` when the status changes).',
      tags: ['Service'],
      pathParameters: caseId,
      requestBody: { schema: caseMessageInput, description: 'The message.' },
      success: { status: 201, description: 'Added, with the case as it is now.', schema: addedMessageResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema, or a reply on a case without a requester address (`internal`).',
        403: staff,
        404: notFound,
        409: closed,
        410: 'The case\'s customer was merged or erased meanwhile (`gone`).',
      },
    },
  },
  {
    method: 'POST',
    path: '/cases/{id}/resolve',
    auth: 'jwt',
    handler: 'functions/cases/resolve-case.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Resolve a case',
      description: 'Sets `resolved` and `resolvedAt`; resolving a resolved case changes nothing. Commits `crm.case.status-changed.v1`.',
      tags: ['Service'],
      pathParameters: caseId,
      success: { status: 200, description: 'Resolved.', schema: caseResponse, headers: ['ETag'] },
      errors: { 403: staff, 404: notFound, 409: closed, 410: 'The case\'s customer was merged or erased meanwhile (`gone`).' },
    },
  },
  // After-sales consultation (docs/processes.md, "After-sales"): order routes served by the case use cases, in the service stack.
  {
    method: 'POST',
    path: '/orders/{id}/cases',
    auth: 'jwt',
    handler: 'functions/cases/open-order-case.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Open an after-sales case for an order',
      description:
        'A question, complaint or return about the order, opened as a service case for the order\'s customer, of category `after-sales-<kind>` (agents\' skills and SLA policies target it ' +
        'like any category), linked to the order (`orderId`) and routed from the queue like every new case. `lines` names the order lines it is about by position (0-based) and, ' +
        'for a return, the quantity going back (default: the whole line); a return needs at least one line and an order that was dispatched. A cancelled order still takes questions ' +
        'and complaints. Commits `crm.case.opened.v1`. Whoever works on the order (its owner, managers, admins) and agents.',
      tags: ['Service'],
      pathParameters: { id: 'Order id' },
      requestBody: { schema: orderCaseInput, description: 'The request. `priority` defaults to normal, `channel` to api.' },
      success: { status: 201, description: 'Opened.', schema: caseResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'The body fails the schema; a return without `lines`; a line the order does not have or named twice (`lines.<i>.index`); more than the line holds (`lines.<i>.quantity`); a `contactId` not of the order\'s customer. Each named in `errors`.',
        404: 'No such order, or one you may neither work on nor serve (`not-found`).',
        409: 'A return on an order never dispatched (`order-not-dispatched`, with `currentStatus`).',
      },
    },
  },
  {
    method: 'GET',
    path: '/orders/{id}/cases',
    auth: 'jwt',
    handler: 'functions/cases/list-order-cases.ts',
    access: { table: 'read' },
    doc: {
      summary: "An order's cases",
      description: "Every case about the order, newest first, whatever its status: one Query of the customer's cases filtered by order. Whoever works on the order, and agents.",
      tags: ['Service'],
      pathParameters: { id: 'Order id' },
      success: { status: 200, description: "The order's cases.", schema: orderCasesResponse },
      errors: { 404: 'No such order, or one you may neither work on nor serve (`not-found`).' },
    },
  },
]);
