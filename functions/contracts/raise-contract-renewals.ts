import { raiseContractRenewals } from '../../shared/contracts/contract-renewals-use-case';
import { renewalDeps } from '../../shared/contracts/wiring';
import { eventHandler } from '../../shared/log-context';

/** Hourly (daily on dev-like stages): each active contract whose renewal notice has come gets its task and crm.contract.renewal-due.v1, once. */
export const handler = eventHandler(async () => raiseContractRenewals(renewalDeps));
