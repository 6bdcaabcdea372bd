import type { ProcessSubjects } from '../approvals/approval-use-cases';
import { clock } from '../clock';
import type { ContractRepository } from './contract-repository';

/** Contracts as the subject of `contract` processes: approval lands on the contract in the process's commits. */
export function contractSubjects(contracts: ContractRepository): ProcessSubjects {
  return {
    stillPending: (tenantId, head) => contracts.pendingCheck(tenantId, head),
    settle: (tenantId, head, outcome) => contracts.settleItem(tenantId, head, outcome, clock.nowIso()),
    describe: (head) => `The contract (${head.subject.summary.split(':')[0]})`,
  };
}
