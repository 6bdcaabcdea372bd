// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { UserDirectory } from './user-repository';

/** The user directory wired to this container's table. */
export const userDirectory = /* @__PURE__ */ new UserDirectory(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));
