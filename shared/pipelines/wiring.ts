// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { BoardReader } from './board-repository';
import { PipelineRepository } from './pipeline-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const pipelineRepository = /* @__PURE__ */ new PipelineRepository(documentClient, tableName);

export const boardReader = /* @__PURE__ */ new BoardReader(documentClient, tableName);
