// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { caseDeps } from '../cases/wiring';
import { confirmationDeps } from '../leads/lead-consent-wiring';
import { leadRepository } from '../leads/wiring';
import { requireEnv } from '../runtime-env';
import { FormRepository } from './form-repository';

/** Forms only: what the admin routes use. */
export const formRepository = /* @__PURE__ */ new FormRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));

/** The forms, and the leads or cases a submission creates. */
export const formDeps = { forms: formRepository, leads: leadRepository, cases: caseDeps, confirmations: confirmationDeps };
