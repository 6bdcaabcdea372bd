// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { CustomFieldRepository } from './custom-field-repository';

export const customFieldRepository = /* @__PURE__ */ new CustomFieldRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));
