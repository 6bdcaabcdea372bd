import { mailContractRenewal } from '../../shared/contracts/renewal-mail-use-case';
import { renewalMailDeps } from '../../shared/contracts/wiring';
import { eventHandler } from '../../shared/log-context';

/** On crm.contract.renewal-due.v1: a mail to the contract's owner, once. */
export const handler = eventHandler(async (event: unknown) => mailContractRenewal(renewalMailDeps, event));
