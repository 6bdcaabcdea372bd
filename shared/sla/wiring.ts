// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { SlaPolicyCache } from './sla-policy-cache';
import { SlaPolicyRepository } from './sla-policy-repository';
import type { SlaPolicyDeps } from './sla-policy-use-cases';

export const slaPolicyRepository = /* @__PURE__ */ new SlaPolicyRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));

/** What the SLA policy routes read and write. */
export const slaPolicyDeps: SlaPolicyDeps = { policies: slaPolicyRepository, users: userDirectory };

/** The container's copy of each tenant's policies, for case writes and the sweep. */
export const slaPolicyCache = /* @__PURE__ */ new SlaPolicyCache(slaPolicyRepository);
