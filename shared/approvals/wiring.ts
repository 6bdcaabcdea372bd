// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { currencyDecimals } from '../quotes/money';
import { QuoteRepository } from '../quotes/quote-repository';
import { quoteSubjects } from '../quotes/quote-subject';
import { requireEnv } from '../runtime-env';
import { answerWaitingStep } from './approval-flow-gateway';
import type { ApprovalFlowDeps } from './approval-flow-use-cases';
import { ApprovalRepository } from './approval-repository';
import type { ApprovalDeps } from './approval-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
export const approvalRepository = /* @__PURE__ */ new ApprovalRepository(documentClient, tableName);
/** Quotes are the one kind of subject so far; contracts and orders join here. */
const subjects = /* @__PURE__ */ quoteSubjects(/* @__PURE__ */ new QuoteRepository(documentClient, tableName));

export const approvalDeps: ApprovalDeps = { approvals: approvalRepository, subjects, currencyDecimals };

export const approvalFlowDeps: ApprovalFlowDeps = {
  approvals: approvalRepository,
  subjects,
  answer: answerWaitingStep,
  // Delegation while out of office is not built yet (docs/processes.md, "Not yet"): approvers decide themselves.
  delegateOf: async () => undefined,
};

/** The resuming function needs no table. */
export const resumeDeps = { answer: answerWaitingStep };
