// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { requireEnv } from '../runtime-env';
import { ContactRepository } from './contact-repository';

export const contactRepositories = {
  customers: customerRepository,
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
};
