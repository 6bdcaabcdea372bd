// Built once per container, at module load (docs/decisions.md, 52).
import { approvalDeps, approvalRepository } from '../approvals/wiring';
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { productRepository } from '../products/wiring';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { QuoteRepository } from './quote-repository';
import type { QuoteDeps } from './quote-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const quoteDeps: QuoteDeps = {
  quotes: /* @__PURE__ */ new QuoteRepository(documentClient, tableName),
  products: productRepository,
  customers: customerRepository,
  approvals: approvalRepository,
  approvalDeps,
  // Every user of the tenant: an approval chain resolves roles among them.
  directory: (tenantId) => userDirectory.all(tenantId),
};
