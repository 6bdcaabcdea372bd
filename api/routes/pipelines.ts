import * as z from 'zod/mini';
import { DEAL_STATUSES } from '../../shared/deals/deal';
import { createPipelineInput, FORECAST_CATEGORIES, MAX_STAGES } from '../../shared/pipelines/pipeline';
import { dealResponse, moneyByCurrency as money } from '../responses/deals';
import { areaRoutes } from '../route';

const stageResponse = z.object({ id: z.string(), name: z.string(), probability: z.number(), forecastCategory: z.enum(FORECAST_CATEGORIES) });
const pipelineResponse = z.object({ id: z.string(), name: z.string(), stages: z.array(stageResponse), createdAt: z.string(), createdBy: z.string(), version: z.number() });

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
        'default from the probability: >= 70 commit, >= 40 best case). Won and lost are deal outcomes, not stages. Pipelines do not change once created. Admins only.',
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
      success: { status: 200, description: 'The pipeline.', schema: pipelineResponse },
      errors: { 404: 'No such pipeline in your tenant.' },
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
