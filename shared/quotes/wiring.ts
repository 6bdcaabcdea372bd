// Built once per container, at module load (docs/decisions.md, 52).
import { approvalDeps, approvalRepository } from '../approvals/wiring';
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { productRepository } from '../products/wiring';
import { requireEnv } from '../runtime-env';
import type { DirectoryUser } from '../users/user';
import { userDirectory } from '../users/wiring';
import { QuoteRepository } from './quote-repository';
import type { QuoteDeps } from './quote-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

/** Every user of the tenant, page by page (an approval chain resolves roles among them). */
async function everyone(tenantId: string): Promise<DirectoryUser[]> {
  const users: DirectoryUser[] = [];
  let cursor: string | undefined;
  do {
    const page = await userDirectory.list(tenantId, 100, cursor);
    users.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return users;
}

export const quoteDeps: QuoteDeps = {
  quotes: /* @__PURE__ */ new QuoteRepository(documentClient, tableName),
  products: productRepository,
  customers: customerRepository,
  approvals: approvalRepository,
  approvalDeps,
  directory: everyone,
};
