import * as z from 'zod/mini';
import { createDealInput, DEAL_STATUSES, dealPatch } from '../../shared/deals/deal';
import { DEAL_PAGE_SIZE } from '../../shared/deals/deal-list-query';
import { staleVersion } from '../responses/common';
import { dealResponse, moneyByCurrency as money } from '../responses/deals';
import { areaRoutes } from '../route';

const historyEntry = z.object({ id: z.string(), dealId: z.string(), customerId: z.string(), from: z.nullable(z.string()), to: z.string(), actor: z.object({ type: z.string(), id: z.string() }), at: z.string() });

const forecastFigures = { deals: z.number(), won: money, pipeline: money, weighted: money, commit: money, bestCase: money };
const forecastResponse = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  by: z.enum(['owner', 'team']),
  pipelineId: z.nullable(z.string()),
  rows: z.array(z.object({ ownerId: z.optional(z.nullable(z.string())), teamId: z.optional(z.nullable(z.string())), ...forecastFigures })),
  total: z.object(forecastFigures),
});

const dealId = { id: 'Deal id' };
const staleDeal = staleVersion('deal');

/** Deals moving through a pipeline, and the forecast (docs/pipeline.md). */
export const DEALS_ROUTES = areaRoutes('deals', 'sales', [
  {
    method: 'POST',
    path: '/deals',
    auth: 'jwt',
    handler: 'functions/deals/create-deal.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Open a deal',
      description:
        "A deal for a customer you may change (its owner, a manager, an admin): amount as a decimal string, currency, expected close date, the pipeline's stage " +
        "(default: its first). Owner: `ownerId`, else the customer's owner, else you; a rep may only name themselves. One transaction with the board aggregate, " +
        "the stage history and the customer's deal facts (reclaim rules); `crm.deal.created.v1`.",
      tags: ['Deals'],
      requestBody: { schema: createDealInput, description: 'The deal. `stageId` must be a stage of the pipeline (400 at `stageId`).' },
      success: { status: 201, description: 'Created.', schema: dealResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'Invalid body, an unknown (or unreadable) `customerId` or `pipelineId`, or a `stageId` that is not a stage of the pipeline, each named in `errors`.',
        403: 'You may read but not change the customer, or a rep named another owner (`forbidden`).',
        409: 'The customer kept changing meanwhile (`deal-conflict`); send it again.',
        410: 'The customer was merged or erased.',
      },
    },
  },
  {
    method: 'GET',
    path: '/deals',
    auth: 'jwt',
    handler: 'functions/deals/list-deals.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List deals',
      description:
        'One page of deals of one `status` (default `open`), soonest expected close first. Filters combine (AND): `owner` (`me` or a user id), `status`, ' +
        '`pipelineId`, `stageId` (with `pipelineId`), `customerId`. Each page is one Query on the list that narrows it most: the owner\'s deals in that status ' +
        "(index), else the customer's deals (its partition: in creation order, not by close date), else a board column (`pipelineId` with `stageId` or a closed " +
        '`status`), else the tenant\'s open or won deals (the forecast index: won deals sort by the day they were won). The other filters apply to that page, so ' +
        'a filtered page may hold fewer than `limit` deals while `cursor` is not null. Admins list every deal, managers their own and their team\'s (another ' +
        "owner outside the team finds nothing), everyone else their own (naming another owner answers 403).",
      tags: ['Deals'],
      queryParameters: {
        owner: { description: '`me` or the user id of an owner.', schema: z.string() },
        status: { description: '`open` (default), `won` or `lost`.', schema: z.enum(DEAL_STATUSES) },
        pipelineId: { description: 'Deals of this pipeline.', schema: z.string() },
        stageId: { description: 'Deals in (open) or closed from (won, lost) this stage of `pipelineId`.', schema: z.string() },
        customerId: { description: 'Deals of this customer.', schema: z.string() },
        limit: {
          description: `Page size, ${DEAL_PAGE_SIZE.default} when absent.`,
          schema: z._default(z.int().check(z.minimum(1), z.maximum(DEAL_PAGE_SIZE.max)), DEAL_PAGE_SIZE.default),
        },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque; only valid for the same list.", schema: z.string() },
      },
      success: { status: 200, description: 'One page of deals.', schema: z.object({ items: z.array(dealResponse), cursor: z.nullable(z.string()) }) },
      errors: {
        400: 'A malformed filter, `stageId` without `pipelineId`, `status=lost` without an owner, customer or pipeline, a bad `limit`, or a `cursor` this list did not return (`validation-failed`, paths `query.<name>`).',
        403: "A rep (or another non-manager) asked for another owner's deals (`forbidden`).",
      },
    },
  },
  {
    method: 'GET',
    path: '/deals/{id}',
    auth: 'jwt',
    handler: 'functions/deals/get-deal.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a deal',
      description: "The deal with its stage history (oldest first). Whoever reads its customer, and the deal's owner.",
      tags: ['Deals'],
      pathParameters: dealId,
      success: { status: 200, description: 'The deal.', schema: z.object({ ...dealResponse.shape, stageHistory: z.array(historyEntry) }), headers: ['ETag'] },
      errors: { 404: 'No such deal, or one you may not read.' },
    },
  },
  {
    method: 'PATCH',
    path: '/deals/{id}',
    auth: 'jwt',
    handler: 'functions/deals/update-deal.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Change, move, win, lose or reopen a deal',
      description:
        'JSON Merge Patch with If-Match. `stageId` moves an open deal to another stage of its pipeline (`crm.deal.stage-changed.v1`); `status: won` or `lost` closes it ' +
        '(`lost` needs `reason`; `crm.deal.won.v1` / `crm.deal.lost.v1`); a won deal moves its customer to lifecycle stage `customer` (never backwards) in the same ' +
        'transaction. A closed deal changes only when the patch reopens it (`status: open`, optionally with `stageId`). The pipeline and currency sums of the board follow.',
      tags: ['Deals'],
      pathParameters: dealId,
      requestBody: { schema: dealPatch, description: 'The changes.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The deal after the change.', schema: dealResponse, headers: ['ETag'] },
      errors: {
        400: 'Invalid body, a `stageId` of another pipeline, or `lost` without `reason`, named in `errors`.',
        403: "You may read the deal but not change it (`forbidden`).",
        404: 'No such deal, or one you may not read.',
        409: 'The deal is won or lost and the patch does not reopen it (`deal-closed`), or the customer kept changing (`deal-conflict`).',
        412: staleDeal,
      },
    },
  },
  {
    method: 'GET',
    path: '/forecast',
    auth: 'jwt',
    handler: 'functions/deals/get-forecast.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Forecast of a period',
      description:
        'Per owner or team and in total, per currency (no conversion): `won` (won in the period), `pipeline` (open, expected to close in it), `weighted` ' +
        '(open amount x stage probability), `commit` (open in `commit` stages), `bestCase` (open in `commit` or `bestCase` stages). One index range read. ' +
        "Admins see every deal, managers their team's, everyone else their own.",
      tags: ['Deals'],
      queryParameters: {
        period: { description: 'A quarter (`2027-Q1`) or a month (`2027-03`).', schema: z.string(), required: true },
        by: { description: '`owner` (default) or `team`.', schema: z.enum(['owner', 'team']) },
        pipelineId: { description: 'Only deals of this pipeline.', schema: z.string() },
      },
      success: { status: 200, description: 'The forecast.', schema: forecastResponse },
      errors: { 400: 'A missing or bad `period` or `by` (named in `errors`).' },
    },
  },
]);
