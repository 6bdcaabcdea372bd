import type { Deal } from './deal';
import { fromMinor } from './money';

/** The public representation of a deal: amount as a decimal string, no keys. Schema-free, so readers (360 view, board) stay light. */
export function dealView(deal: Deal) {
  return {
    id: deal.id,
    customerId: deal.customerId,
    pipelineId: deal.pipelineId,
    stageId: deal.stageId,
    status: deal.status,
    name: deal.name,
    amount: fromMinor(deal.amountMinor),
    currency: deal.currency,
    expectedCloseDate: deal.expectedCloseDate,
    ownerId: deal.ownerId,
    teamId: deal.teamId,
    closedAt: deal.closedAt,
    closeReason: deal.closeReason,
    createdAt: deal.createdAt,
    createdBy: deal.createdBy,
    updatedAt: deal.updatedAt,
    updatedBy: deal.updatedBy,
    version: deal.version,
  };
}
