import { createContractInput, terminateContractInput, withdrawContractInput } from '../../shared/contracts/contract';
import { staleVersion } from '../responses/common';
import { contractResponse } from '../responses/processes';
import { areaRoutes } from '../route';

const contractId = { id: 'Contract id' };
const notVisible = 'No such contract, or one you may not work on (its owner, managers and admins may).';

/** Contracts: approved as the tenant's `contract` policy asks, renewed on notice (docs/processes.md, "Contracts"). */
export const CONTRACTS_ROUTES = areaRoutes('contracts', 'processes', [
  {
    method: 'POST',
    path: '/contracts',
    auth: 'jwt',
    handler: 'functions/contracts/create-contract.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Draw up a contract',
      description:
        'For a customer you may read, numbered C-<year>-<n>, optionally resting on an approved, sent or accepted quote of the customer (`quoteId`) or an order not cancelled (`orderId`), not both. ' +
        "The tenant's `contract` approval policy picks a chain by the value (`totalAtLeast`), the linked lines' categories and discounts, and the customer's level; when no rule applies the contract is " +
        '`active` at once (`approval.status: not-required`), otherwise `pending-approval` while the approval flow walks the chain. The owner gets a renewal task and a mail `renewalNoticeDays` ' +
        '(default 30) before `endsOn`. Commits `crm.contract.created.v1` (and `crm.process.started.v1`).',
      tags: ['Processes'],
      requestBody: { schema: createContractInput, description: 'The contract.' },
      success: { status: 201, description: 'Drawn up: `active` or `pending-approval`.', schema: contractResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'Invalid body, each named in `errors`: a value with more decimals than the currency allows (`value`), `endsOn` not after `startsOn`, both `quoteId` and `orderId`, a quote or order of another customer or in the wrong status or currency, a customer you may not read.',
        409: 'Nobody active can approve a step of the chosen rule (`no-approver`), or the linked quote or order changed meanwhile (revised, cancelled).',
      },
    },
  },
  {
    method: 'GET',
    path: '/contracts/{id}',
    auth: 'jwt',
    handler: 'functions/contracts/get-contract.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a contract',
      description: 'With its approval, its term today (`upcoming`, `current`, `ended` for an active one) and its renewal notice.',
      tags: ['Processes'],
      pathParameters: contractId,
      success: { status: 200, description: 'The contract.', schema: contractResponse, headers: ['ETag'] },
      errors: { 404: notVisible },
    },
  },
  {
    method: 'POST',
    path: '/contracts/{id}/withdraw',
    auth: 'jwt',
    handler: 'functions/contracts/withdraw-contract.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Withdraw a contract from approval',
      description: '`withdrawn`; its process ends as recalled in the same commit, its pending approvals leave the inboxes and the flow stops. If-Match optional. Commits `crm.contract.ended.v1`.',
      tags: ['Processes'],
      pathParameters: contractId,
      requestBody: { schema: withdrawContractInput, description: 'Why, optionally.' },
      success: { status: 200, description: 'Withdrawn.', schema: contractResponse, headers: ['ETag'] },
      errors: { 404: notVisible, 409: 'Not under approval (`contract-status`), or a decision came first.', 412: staleVersion('contract') },
    },
  },
  {
    method: 'POST',
    path: '/contracts/{id}/terminate',
    auth: 'jwt',
    handler: 'functions/contracts/terminate-contract.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Terminate an active contract',
      description: '`terminated` now, before its end; a renewal notice not yet raised never is. If-Match optional. Commits `crm.contract.ended.v1`.',
      tags: ['Processes'],
      pathParameters: contractId,
      requestBody: { schema: terminateContractInput, description: 'Why, optionally.' },
      success: { status: 200, description: 'Terminated.', schema: contractResponse, headers: ['ETag'] },
      errors: { 404: notVisible, 409: 'Not active (`contract-status`).', 412: staleVersion('contract') },
    },
  },
]);
