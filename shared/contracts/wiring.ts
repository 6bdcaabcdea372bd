// Built once per container, at module load (docs/decisions.md, 52).
import { approvalDeps, approvalRepository } from '../approvals/wiring';
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { customerRepository } from '../customers/wiring';
import { OnceStore } from '../idempotency/once-store';
import { OrderRepository } from '../orders/order-repository';
import { writeWith } from '../orders/order-use-cases';
import { QuoteRepository } from '../quotes/quote-repository';
import { requireEnv } from '../runtime-env';
import { TaskRepository } from '../tasks/task-repository';
import { UserDirectory } from '../users/user-repository';
import { userDirectory } from '../users/wiring';
import { ContractRepository } from './contract-repository';
import type { RenewalDeps } from './contract-renewals-use-case';
import type { ContractDeps } from './contract-use-cases';
import type { RenewalMailDeps } from './renewal-mail-use-case';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
const contracts = /* @__PURE__ */ new ContractRepository(documentClient, tableName);

export const contractDeps: ContractDeps = {
  contracts,
  quotes: /* @__PURE__ */ new QuoteRepository(documentClient, tableName),
  orders: /* @__PURE__ */ new OrderRepository(documentClient, tableName),
  customers: customerRepository,
  approvals: approvalRepository,
  approvalDeps,
  // Every user of the tenant: an approval chain resolves roles among them.
  directory: (tenantId) => userDirectory.all(tenantId),
};

export const renewalDeps: RenewalDeps = {
  contracts,
  tasks: /* @__PURE__ */ new TaskRepository(documentClient, tableName),
  write: /* @__PURE__ */ writeWith(documentClient),
};

export const renewalMailDeps: RenewalMailDeps = {
  /** The directory built here, not taken from users/wiring: the mailer has no user pool to name. */
  users: /* @__PURE__ */ new UserDirectory(documentClient, tableName),
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
};
