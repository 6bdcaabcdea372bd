import { contractRenewalDueV1 } from '../../events/contracts/contract-renewal-due.v1';
import type { Caller } from '../access/caller';
import { type NamedItem, TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import { newId } from '../ids';
import { keys } from '../keys';
import { type EventContext, newEvent } from '../outbox/outbox';
import { formatAmount } from '../quotes/money';
import { newTask } from '../tasks/task';
import type { TaskRepository } from '../tasks/task-repository';
import { taskCreatedEvent } from '../tasks/task-use-cases';
import { type Contract, isRenewalDue, markedRenewalDue } from './contract';
import type { ContractRepository } from './contract-repository';

/** Renewal notices raised per run at most; the rest wait for the next run, still due. */
export const RENEWALS_PER_RUN = 100;
/** Every hour on prod and staging, once a day on dev-like stages (their idle budget, docs/cost.md): notice periods are days. */
export const RENEWAL_SWEEP_MINUTES = { persistent: 60, devLike: 24 * 60 } as const;
/** The actor of the sweep's writes and events. */
export const RENEWAL_ACTOR = 'contract-renewals';

export interface RenewalDeps {
  contracts: Pick<ContractRepository, 'dueRenewals' | 'byKey' | 'replaceItem' | 'eventItem'>;
  tasks: Pick<TaskRepository, 'createItem' | 'eventItem'>;
  write: (items: NamedItem[]) => Promise<void>;
}

/**
 * The renewal sweep (`contract-renewals`): each active contract whose notice has come (`endsOn`
 * less `renewalNoticeDays`) gets, in ONE commit over the version read: its `renewalDueAt` (which
 * takes it out of the index), a renewal task for its owner (with its crm.task.created.v1) and
 * crm.contract.renewal-due.v1. A crash before the commit leaves it due for the next run; after it,
 * everything is there: nothing is lost, nothing doubled. A contract terminated meanwhile is left alone.
 */
export async function raiseContractRenewals(deps: RenewalDeps): Promise<{ raised: number; skipped: number }> {
  const nowIso = clock.nowIso();
  let raised = 0;
  let skipped = 0;
  for (const due of await deps.contracts.dueRenewals(nowIso, RENEWALS_PER_RUN)) {
    const contract = await deps.contracts.byKey(due.key);
    if (!contract || !isRenewalDue(contract, nowIso)) {
      skipped += 1;
      continue;
    }
    try {
      await deps.write(renewalItems(deps, due.tenantId, contract, nowIso));
      raised += 1;
    } catch (error) {
      // Terminated or raised by another run meanwhile: its next read decides.
      if (!(error instanceof TransactionConditionFailed)) throw error;
      skipped += 1;
    }
  }
  return { raised, skipped };
}

/** The task is due on the contract's last day: renewed (or let go, deliberately) before it ends. */
export function renewalItems(deps: Pick<RenewalDeps, 'contracts' | 'tasks'>, tenantId: string, contract: Contract, nowIso: string): NamedItem[] {
  const ctx: EventContext = { tenantId, actor: { type: 'system', id: RENEWAL_ACTOR }, correlationId: `contract-renewal-${contract.id}` };
  const system: Caller = { userId: RENEWAL_ACTOR, tenantId, groups: [] };
  const partition = keys.customerPartition(tenantId, contract.customerId);
  const task = newTask(
    { title: `Renew contract ${contract.number} (ends ${contract.endsOn})`, type: 'call', dueAt: `${contract.endsOn}T00:00:00.000Z` },
    { customerId: contract.customerId, dealId: null, leadId: null },
    contract.ownerId,
    system,
    newId(),
    nowIso,
    'contract-renewal',
  );
  const next = markedRenewalDue(contract, task.id, nowIso);
  return [
    deps.contracts.replaceItem(tenantId, next, contract.version),
    deps.tasks.createItem(tenantId, partition, task),
    deps.tasks.eventItem(partition, taskCreatedEvent(ctx, task)),
    deps.contracts.eventItem(tenantId, contract.customerId, contractRenewalDueV1.detailType, newEvent(contractRenewalDueV1, ctx, {
      contractId: contract.id, customerId: contract.customerId, number: contract.number, ownerId: contract.ownerId, endsOn: contract.endsOn,
      renewalNoticeDays: contract.renewalNoticeDays, currency: contract.currency, value: formatAmount(contract.value, contract.currency), taskId: task.id,
    })),
  ];
}
