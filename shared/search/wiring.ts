// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { SearchIndexRepository } from './search-index-repository';
import { SearchReader } from './search-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const searchReader = /* @__PURE__ */ new SearchReader(documentClient, tableName);

export const searchIndex = /* @__PURE__ */ new SearchIndexRepository(documentClient, tableName);
