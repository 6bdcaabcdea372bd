// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { marketingSendDeps } from '../consent/marketing-send-wiring';
import { OnceStore } from '../idempotency/once-store';
import { purchaseFiguresMerger } from '../orders/purchase-merge-repository';
import { requireEnv } from '../runtime-env';
import { Customer360Reader } from './customer-360-repository';
import { CustomerLister } from './customer-list-repository';
import { CustomerMergeRepository } from './customer-merge-repository';
import { CustomerRepository } from './customer-repository';
import { DuplicateFinder } from './duplicate-check-repository';
import type { WelcomeEmailDeps } from './welcome-email-use-case';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const customerRepository = /* @__PURE__ */ new CustomerRepository(documentClient, tableName);

export const customer360Reader = /* @__PURE__ */ new Customer360Reader(documentClient, tableName);

export const customerLister = /* @__PURE__ */ new CustomerLister(documentClient, tableName);

export const duplicateFinder = /* @__PURE__ */ new DuplicateFinder(documentClient, tableName);

/** What a merge reads and writes. */
export const customerMergeRepositories = {
  customers: customerRepository,
  // The purchase figures are added onto the survivor's, not moved over them.
  merges: /* @__PURE__ */ new CustomerMergeRepository(documentClient, tableName, [/* @__PURE__ */ purchaseFiguresMerger(documentClient, tableName)]),
};


/**
 * Only the welcome-email function sends mail, so only its bundle holds the SES client. It sends
 * as the automations do (shared/automations/wiring.ts): the same marketing send, the same reads.
 */
export const welcomeEmailDeps: WelcomeEmailDeps = {
  send: marketingSendDeps,
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
};
