import { slaPolicyInput } from '../../shared/sla/sla-policies';
import { staleVersionProblemSchema } from '../responses/common';
import { slaPolicyListResponse, slaPolicyResponse } from '../responses/sla';
import { areaRoutes } from '../route';

const policyId = { policyId: 'Policy id: `default` (every case no other policy lists the category of), or any other (a-z, 0-9, -)' };
const readers = 'Agents, managers and admins only (`forbidden`).';

/**
 * SLA policies applied to cases (docs/service.md, "SLA policies"). Case area and service stack:
 * the policies are part of working cases, and the handlers sit with the cases' (functions/cases/).
 */
export const SLA_POLICIES_ROUTES = areaRoutes('cases', 'service', [
  {
    method: 'PUT',
    path: '/sla-policies/{policyId}',
    auth: 'jwt',
    handler: 'functions/cases/put-sla-policy.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Set an SLA policy',
      description:
        'Targets for first response, next response and resolution per priority (and customer level) in business minutes, on the policy\'s business-hours calendar. ' +
        'A case gets the policy listing its `category`, else the policy `default`, else none (`sla: null`). Warnings (at `warningPercentUsed`) and breaches are mailed to ' +
        '`escalateTo`, else the assignee\'s manager, else the tenant\'s managers. Cases take a new version at their next write. With If-Match only over that version. Admins and managers.',
      tags: ['Service'],
      pathParameters: policyId,
      requestBody: { schema: slaPolicyInput, description: 'The whole policy.' },
      ifMatch: 'optional',
      success: { status: 200, description: 'Replaced (201 when created).', schema: slaPolicyResponse, headers: ['ETag'] },
      errors: {
        400: 'The body fails the schema (calendar, targets, levels, each named in `errors`); a category another policy lists (`categories.<i>`); an `escalateTo` user that is not active (`escalateTo.<i>`); a malformed id (`path.policyId`).',
        403: 'Admins and managers only (`forbidden`).',
        412: { description: 'The policy changed since the version in If-Match, or another write of it came first (`precondition-failed`).', schema: staleVersionProblemSchema },
      },
    },
  },
  {
    method: 'GET',
    path: '/sla-policies',
    auth: 'jwt',
    handler: 'functions/cases/list-sla-policies.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List SLA policies',
      description: 'Every SLA policy of the tenant, by id (at most 50). Service staff.',
      tags: ['Service'],
      success: { status: 200, description: 'The policies.', schema: slaPolicyListResponse },
      errors: { 403: readers },
    },
  },
  {
    method: 'GET',
    path: '/sla-policies/{policyId}',
    auth: 'jwt',
    handler: 'functions/cases/get-sla-policy.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read an SLA policy',
      description: 'One policy. Service staff.',
      tags: ['Service'],
      pathParameters: policyId,
      success: { status: 200, description: 'The policy.', schema: slaPolicyResponse, headers: ['ETag'] },
      errors: { 403: readers, 404: 'No such policy in your tenant (`not-found`).' },
    },
  },
]);
