import * as z from 'zod/mini';
import { approvalPolicyInput } from '../../shared/approvals/approval-policy';
import { decisionInput } from '../../shared/approvals/approval-process';
import { APPROVAL_PAGE_SIZE } from '../../shared/approvals/approval-use-cases';
import { staleVersion } from '../responses/common';
import { approvalPageResponse, approvalPolicyResponse, approvalResponse, processWithApprovalsResponse } from '../responses/processes';
import { areaRoutes } from '../route';

const kind = { kind: 'The kind of request: `quote-discount`, `contract` or `order`.' };
const approvalId = { approvalId: 'Approval id (`<process id>-<step>-<slot>`)' };
const decisionErrors = {
  404: 'No such approval among yours.',
  409: 'Decided already (`approval-decided`), its step closed or its process ended (`process-not-running`), or the request changed after its approval started (`stale-approval`).',
};

/** Approval policies, approvers' inboxes, decisions and the processes they drive (docs/processes.md, "Approvals"). */
export const APPROVALS_ROUTES = areaRoutes('approvals', 'processes', [
  {
    method: 'GET',
    path: '/approval-policies/{kind}',
    auth: 'jwt',
    handler: 'functions/approvals/get-approval-policy.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read an approval policy',
      description: "Admins and managers. The tenant's rules for the kind, or the built-in default (version 0): for `quote-discount`, a line discount above 20 % needs the requester's manager.",
      tags: ['Processes'],
      pathParameters: kind,
      success: { status: 200, description: 'The policy.', schema: approvalPolicyResponse, headers: ['ETag'] },
      errors: { 403: 'Not an admin or manager.', 404: 'No such kind.' },
    },
  },
  {
    method: 'PUT',
    path: '/approval-policies/{kind}',
    auth: 'jwt',
    handler: 'functions/approvals/put-approval-policy.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Set an approval policy',
      description:
        'Admins only. Rules in order; the first whose conditions all hold (discount above, total at least, categories, customer levels) picks its chain of steps. A step is decided by ' +
        'roles, users or the requester\'s manager, `any` (first decision) or `all`; it may have a time limit. No rule holding: approved at once. If-Match optional.',
      tags: ['Processes'],
      pathParameters: kind,
      requestBody: { schema: approvalPolicyInput, description: 'The rules.' },
      success: { status: 200, description: 'Set.', schema: approvalPolicyResponse, headers: ['ETag'] },
      errors: { 400: 'Invalid rules, named in `errors`.', 403: 'Not an admin.', 404: 'No such kind.', 412: staleVersion('approval policy') },
    },
  },
  {
    method: 'GET',
    path: '/approvals',
    auth: 'jwt',
    handler: 'functions/approvals/list-approvals.ts',
    access: { table: 'read' },
    doc: {
      summary: "An approver's inbox",
      description: "Pending approvals oldest first, or done ones latest first; one Query per page. Yours (`assignee=me`), or, for managers and admins, anyone's.",
      tags: ['Processes'],
      queryParameters: {
        assignee: { description: '`me` (default) or a user id.', schema: z.string() },
        status: { description: '`pending` (default) or `done`.', schema: z.enum(['pending', 'done']) },
        limit: { description: `Page size, ${APPROVAL_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(APPROVAL_PAGE_SIZE.max)), APPROVAL_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: 'One page.', schema: approvalPageResponse },
      errors: { 400: 'A bad `status`, `limit` or `cursor`.', 403: "Another user's inbox, and you are no manager or admin." },
    },
  },
  {
    method: 'POST',
    path: '/approvals/{approvalId}/approve',
    auth: 'jwt',
    handler: 'functions/approvals/approve-approval.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Approve',
      description: 'Exactly one decision per approval, and one per `any` step under concurrency: a second click, or a second approver after the first, gets 409. Send `{}` or `{ "comment": ... }`.',
      tags: ['Processes'],
      pathParameters: approvalId,
      requestBody: { schema: decisionInput, description: 'An optional comment, kept in the process history.' },
      success: { status: 200, description: 'Decided.', schema: approvalResponse },
      errors: decisionErrors,
    },
  },
  {
    method: 'POST',
    path: '/approvals/{approvalId}/reject',
    auth: 'jwt',
    handler: 'functions/approvals/reject-approval.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Reject',
      description: 'Rejecting closes the step and ends the process as rejected; the quote returns to draft.',
      tags: ['Processes'],
      pathParameters: approvalId,
      requestBody: { schema: decisionInput, description: 'An optional comment, kept in the process history.' },
      success: { status: 200, description: 'Decided.', schema: approvalResponse },
      errors: decisionErrors,
    },
  },
  {
    method: 'GET',
    path: '/processes/{id}',
    auth: 'jwt',
    handler: 'functions/approvals/get-process.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a process',
      description: 'Its steps, who it waits on, every step, decision and comment in its history, and its approvals. For its requester and approvers, managers and admins.',
      tags: ['Processes'],
      pathParameters: { id: 'Process id' },
      success: { status: 200, description: 'The process.', schema: processWithApprovalsResponse, headers: ['ETag'] },
      errors: { 404: 'No such process, or one you may not see.' },
    },
  },
]);
