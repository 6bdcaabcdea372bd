// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { ContractRepository } from '../contracts/contract-repository';
import { contractSubjects } from '../contracts/contract-subject';
import { OnceStore } from '../idempotency/once-store';
import { currencyDecimals } from '../quotes/money';
import { QuoteRepository } from '../quotes/quote-repository';
import { quoteSubjects } from '../quotes/quote-subject';
import { requireEnv } from '../runtime-env';
import { UserDirectory } from '../users/user-repository';
import { answerWaitingStep } from './approval-flow-gateway';
import type { EscalationDeps } from './approval-escalation-use-cases';
import type { ApprovalFlowDeps } from './approval-flow-use-cases';
import { ApprovalRepository } from './approval-repository';
import type { ApprovalDeps } from './approval-use-cases';
import type { EscalationMailDeps } from './escalation-mail-use-case';
import { subjectsByType } from './process-subjects';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
export const approvalRepository = /* @__PURE__ */ new ApprovalRepository(documentClient, tableName);
/** Each process settles its subject's area, by `subject.type`. */
const subjects = /* @__PURE__ */ subjectsByType({
  quote: /* @__PURE__ */ quoteSubjects(/* @__PURE__ */ new QuoteRepository(documentClient, tableName)),
  contract: /* @__PURE__ */ contractSubjects(/* @__PURE__ */ new ContractRepository(documentClient, tableName)),
});

/** The directory built here, not taken from users/wiring: the flow's functions have no user pool to name. */
const users = /* @__PURE__ */ new UserDirectory(documentClient, tableName);

export const approvalDeps: ApprovalDeps = { approvals: approvalRepository, subjects, currencyDecimals };

export const approvalFlowDeps: ApprovalFlowDeps = {
  approvals: approvalRepository,
  subjects,
  answer: answerWaitingStep,
};

export const escalationDeps: EscalationDeps = {
  approvals: approvalRepository,
  directory: (tenantId) => users.all(tenantId),
};

/** The resuming function needs no table. */
export const resumeDeps = { answer: answerWaitingStep };

export const escalationMailDeps: EscalationMailDeps = {
  approvals: approvalRepository,
  users,
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
};
