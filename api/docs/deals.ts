import * as z from 'zod/mini';
import { createDealInput, DEAL_STATUSES, dealPatch } from '../../shared/deals/deal';
import { createPipelineInput, FORECAST_CATEGORIES, MAX_STAGES } from '../../shared/pipelines/pipeline';
import { staleVersionProblemSchema } from '../responses/common';
import { dealResponse } from '../responses/deals';
import type { RouteDescription, RouteKey } from '../route-docs';

/** Response bodies of the pipeline and deal routes, for the OpenAPI document (docs/pipeline.md). */
const money = z.record(z.string(), z.string()).check(z.describe('Currency (ISO 4217) -> decimal string, e.g. {"EUR": "1234.50"}; no conversion between currencies'));

const stageResponse = z.object({ id: z.string(), name: z.string(), probability: z.number(), forecastCategory: z.enum(FORECAST_CATEGORIES) });
const pipelineResponse = z.object({ id: z.string(), name: z.string(), stages: z.array(stageResponse), createdAt: z.string(), createdBy: z.string(), version: z.number() });


const historyEntry = z.object({ id: z.string(), dealId: z.string(), customerId: z.string(), from: z.nullable(z.string()), to: z.string(), actor: z.object({ type: z.string(), id: z.string() }), at: z.string() });

const boardResponse = z.object({
  pipeline: z.object({ id: z.string(), name: z.string() }),
  columns: z.array(
    z.object({
      key: z.string().check(z.describe('A stage id, `won` or `lost`')),
      status: z.enum(DEAL_STATUSES),
      name: z.string(),
      probability: z.number(),
      forecastCategory: z.nullable(z.enum(FORECAST_CATEGORIES)),
      count: z.number(),
      amounts: money,
      weighted: money,
      deals: z.array(dealResponse),
      cursor: z.nullable(z.string()),
    }),
  ),
});

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
const pipelineId = { id: 'Pipeline id' };
const staleDeal = { description: 'The deal changed since the version in If-Match (`precondition-failed`); the body names the current version.', schema: staleVersionProblemSchema };

export const DEAL_ROUTES: Readonly<Record<RouteKey, RouteDescription>> = {
  'POST /pipelines': {
    summary: 'Create a pipeline',
    description:
      `Ordered stages (1 to ${MAX_STAGES}) with a win probability in whole percent and a forecast category (\`commit\`, \`bestCase\`, \`pipeline\`; ` +
      'default from the probability: >= 70 commit, >= 40 best case). Won and lost are deal outcomes, not stages. Pipelines do not change once created. Admins only.',
    tags: ['Pipelines'],
    requestBody: { schema: createPipelineInput, description: 'The pipeline. A stage id used twice is a 400 at `stages.<i>.id`.' },
    success: { status: 201, description: 'Created.', schema: pipelineResponse, headers: ['Location'] },
    errors: { 403: 'Only an admin may define pipelines (`forbidden`).' },
  },
  'GET /pipelines': {
    summary: "The tenant's pipelines",
    description: 'One Query; any user of the tenant.',
    tags: ['Pipelines'],
    success: { status: 200, description: 'The pipelines.', schema: z.object({ items: z.array(pipelineResponse) }) },
  },
  'GET /pipelines/{id}': {
    summary: 'Read a pipeline',
    description: 'Any user of the tenant.',
    tags: ['Pipelines'],
    pathParameters: pipelineId,
    success: { status: 200, description: 'The pipeline.', schema: pipelineResponse },
    errors: { 404: 'No such pipeline in your tenant.' },
  },
  'GET /pipelines/{id}/board': {
    summary: 'The pipeline board',
    description:
      'Columns in stage order, then `won` and `lost`: count and sums per currency (aggregate items kept in every deal transaction, one Query), weighted sums ' +
      '(amount x probability), and the first `limit` deals of each column, soonest expected close first (one index Query per column). ' +
      '`column=<key>&cursor=` pages through one column. Admins and managers.',
    tags: ['Pipelines'],
    pathParameters: pipelineId,
    queryParameters: {
      limit: { description: 'Deals per column, 1-100 (default 20).', schema: z.string() },
      column: { description: 'Only this column (a stage id, `won` or `lost`), to page with `cursor`.', schema: z.string() },
      cursor: { description: "The column's `cursor` from the previous page (with `column`).", schema: z.string() },
    },
    success: { status: 200, description: 'The board.', schema: boardResponse },
    errors: { 400: 'A bad `limit` or `cursor` (named in `errors`).', 403: 'Only admins and managers read boards (`forbidden`).', 404: 'No such pipeline in your tenant.' },
  },
  'POST /deals': {
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
  'GET /deals/{id}': {
    summary: 'Read a deal',
    description: "The deal with its stage history (oldest first). Whoever reads its customer, and the deal's owner.",
    tags: ['Deals'],
    pathParameters: dealId,
    success: { status: 200, description: 'The deal.', schema: z.object({ ...dealResponse.shape, stageHistory: z.array(historyEntry) }), headers: ['ETag'] },
    errors: { 404: 'No such deal, or one you may not read.' },
  },
  'PATCH /deals/{id}': {
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
  'GET /forecast': {
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
};
