// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { DealRepository } from '../deals/deal-repository';
import { BoardReader } from './board-repository';
import type { PipelineEditDeps } from './pipeline-edit-use-case';
import { PipelineRepository } from './pipeline-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const pipelineRepository = /* @__PURE__ */ new PipelineRepository(documentClient, tableName);

export const boardReader = /* @__PURE__ */ new BoardReader(documentClient, tableName);

/** PATCH /pipelines/{id}: the pipeline, the board's reads, and the deal transactions that move a removed stage's deals. */
export const pipelineEditDeps: PipelineEditDeps = {
  pipelines: pipelineRepository,
  board: boardReader,
  deals: /* @__PURE__ */ new DealRepository(documentClient, tableName),
};
