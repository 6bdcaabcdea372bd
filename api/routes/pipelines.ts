import * as z from 'zod/mini';
import { DEAL_STATUSES } from '../../shared/deals/deal';
import { createPipelineInput, FORECAST_CATEGORIES, MAX_STAGES } from '../../shared/pipelines/pipeline';
import { pipelinePatch } from '../../shared/pipelines/pipeline-edit';
import { staleVersion } from '../responses/common';
import { dealResponse, moneyByCurrency as money } from '../responses/deals';
import { areaRoutes } from '../route';

const stageResponse = z.object({ id: z.string(), name: z.string(), probability: z.number(), forecastCategory: z.enum(FORECAST_CATEGORIES) });
const retiringStage = z.object({ ...stageResponse.shape, moveTo: z.string().check(z.describe('The stage its open deals are moving to')) });
const pipelineResponse = z.object({
  id: z.string(),
  name: z.string(),
  stages: z.array(stageResponse),
  retiring: z.array(retiringStage).check(z.describe('Removed stages whose open deals are still moving (empty once every deal has moved; PATCH `{}` resumes)')),
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number(),
});

const boardResponse = z.object({
  pipeline: z.object({ id: z.string(), name: z.string() }),
  owner: z.nullable(z.string()).check(z.describe("The owner whose deals the board shows (an owner's board), or null for the whole board")),
  complete: z.boolean().check(z.describe("False when an owner's board stopped at its read budget (1,000 deals of one status): counts are those of the deals read")),
  columns: z.array(
    z.object({
      key: z.string().check(z.describe('A stage id, `won` or `lost`')),
      status: z.enum(DEAL_STATUSES),
      name: z.string(),
      probability: z.number(),
      forecastCategory: z.nullable(z.enum(FORECAST_CATEGORIES)),
      retiringInto: z.nullable(z.string()).check(z.describe('A removed stage whose deals are still moving: the stage they move to (the column goes once it is empty)')),
      count: z.number(),
      amounts: money,
      weighted: money,
      deals: z.array(dealResponse),
      cursor: z.nullable(z.string()),
    }),
  ),
});

const pipelineId = { id: 'Pipeline id' };

/** Sales pipelines and their boards (docs/pipeline.md). */
export const PIPELINES_ROUTES = areaRoutes('pipelines', 'sales', [
  {
    method: 'POST',
    path: '/pipelines',
    auth: 'jwt',
    handler: 'functions/pipelines/create-pipeline.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create a pipeline',
      description:
        `Ordered stages (1 to ${MAX_STAGES}) with a win probability in whole percent and a forecast category (\`commit\`, \`bestCase\`, \`pipeline\`; ` +
        'default from the probability: >= 70 commit, >= 40 best case). Won and lost are deal outcomes, not stages. `PATCH /pipelines/{id}` changes them. Admins only.',
      tags: ['Pipelines'],
      requestBody: { schema: createPipelineInput, description: 'The pipeline. A stage id used twice is a 400 at `stages.<i>.id`.' },
      success: { status: 201, description: 'Created.', schema: pipelineResponse, headers: ['Location'] },
      errors: { 403: 'Only an admin may define pipelines (`forbidden`).' },
    },
  },
  {
    method: 'GET',
    path: '/pipelines',
    auth: 'jwt',
    handler: 'functions/pipelines/list-pipelines.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's pipelines",
      description: 'One Query; any user of the tenant.',
      tags: ['Pipelines'],
      success: { status: 200, description: 'The pipelines.', schema: z.object({ items: z.array(pipelineResponse) }) },
    },
  },
  {
    method: 'GET',
    path: '/pipelines/{id}',
    auth: 'jwt',
    handler: 'functions/pipelines/get-pipeline.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a pipeline',
      description: 'Any user of the tenant.',
      tags: ['Pipelines'],
      pathParameters: pipelineId,
      success: { status: 200, description: 'The pipeline.', schema: pipelineResponse, headers: ['ETag'] },
      errors: { 404: 'No such pipeline in your tenant.' },
    },
  },
  {
    method: 'PATCH',
    path: '/pipelines/{id}',
    auth: 'jwt',
    handler: 'functions/pipelines/update-pipeline.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Rename a pipeline, or rename, reorder, add and remove its stages',
      description:
        'With If-Match. `stages` is the whole new ordered list: a kept id is the same stage (new name, probability, forecast category, place), a new id is added, ' +
        'a missing id is removed. A removed stage that still has open deals needs `moveDealsTo: {"<removed id>": "<id in stages>"}` (400 at ' +
        '`moveDealsTo.<removed id>` otherwise). Its deals then move one transaction each (history, board aggregates and `crm.deal.stage-changed.v1` as a ' +
        'PATCH of the deal would), at most 500 per request; the stage stays in `retiring` until all have moved. A request that stops early (a crash, the ' +
        "limit) leaves it there: `PATCH` with `{}` resumes, moving each deal once. Won and lost deals keep the stage they were closed from; reopening one " +
        'whose stage was removed needs a `stageId`. Admins only.',
      tags: ['Pipelines'],
      pathParameters: pipelineId,
      requestBody: { schema: pipelinePatch, description: 'The changes; `{}` only resumes moving deals of removed stages.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The pipeline after the change (and the moves done in this request).', schema: pipelineResponse, headers: ['ETag'] },
      errors: {
        400: 'Invalid body: a stage id used twice (`stages.<i>.id`), a removed stage with open deals and no target, a target not in `stages` or an entry for a stage not removed (`moveDealsTo.<id>`).',
        403: 'Only an admin may change pipelines (`forbidden`).',
        404: 'No such pipeline in your tenant.',
        409: 'Deals of a stage removed earlier are still moving (`stage-move-in-progress`); send `{}` to resume, then the change.',
        412: staleVersion('pipeline'),
      },
    },
  },
  {
    method: 'GET',
    path: '/pipelines/{id}/board',
    auth: 'jwt',
    handler: 'functions/pipelines/get-board.ts',
    access: { table: 'read' },
    doc: {
      summary: 'The pipeline board',
      description:
        'Columns in stage order, then `won` and `lost`: count and sums per currency (aggregate items kept in every deal transaction, one Query), weighted sums ' +
        '(amount x probability), and the first `limit` deals of each column, soonest expected close first (one index Query per column). ' +
        '`column=<key>&cursor=` pages through one column. Admins and managers read the whole board; with `owner` (`me` or a user id; a manager: within their ' +
        "team, as in GET /deals) the board of that owner's deals. Reps (and every other role) read the board of their own deals, with or without `owner=me`. " +
        "An owner's board is counted from the owner's deals (index Queries of their open, won and lost deals, at most 1,000 each; `complete` says whether " +
        'all were read), shows each column\'s first `limit` deals with `cursor: null`, and is paged on with `GET /deals?owner=&pipelineId=&stageId=`.',
      tags: ['Pipelines'],
      pathParameters: pipelineId,
      queryParameters: {
        owner: { description: "`me` or a user id: the board of that owner's deals.", schema: z.string() },
        limit: { description: 'Deals per column, 1-100 (default 20).', schema: z.string() },
        column: { description: 'Only this column (a stage id, `won` or `lost`), to page with `cursor`.', schema: z.string() },
        cursor: { description: "The column's `cursor` from the previous page (with `column`).", schema: z.string() },
      },
      success: { status: 200, description: 'The board.', schema: boardResponse },
      errors: {
        400: "A bad `owner`, `limit` or `cursor`, or a `cursor` on an owner's board (named in `errors`).",
        403: "A rep (or another role that is neither admin nor manager) asked for another owner's board (`forbidden`).",
        404: 'No such pipeline in your tenant.',
      },
    },
  },
]);
