import { Conflict, NotFound } from '../errors';

/** Unknown contracts and contracts the caller may not work on look the same. */
export class ContractNotFound extends NotFound {
  constructor(contractId: string) {
    super(`Contract ${contractId} not found`);
  }
}

/** The contract's status does not allow the step (terminating one under approval, withdrawing an active one...). */
export class ContractStatusConflict extends Conflict {
  override readonly slug = 'contract-status';
  constructor(contract: { number: string; status: string }, action: 'withdrawn' | 'terminated') {
    super(`Contract ${contract.number} is ${contract.status}; it cannot be ${action} now`);
    this.extensions.currentStatus = contract.status;
  }
}
