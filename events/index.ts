import { activityLoggedV1 } from './activity-logged.v1';
import { agentUpdatedV1 } from './agents/agent-updated.v1';
import { bookTransferRequestedV1 } from './user-book-transfer-requested.v1';
import { caseMessageAddedV1 } from './cases/case-message-added.v1';
import { caseOpenedV1 } from './cases/case-opened.v1';
import { caseSlaBreachedV1 } from './cases/case-sla-breached.v1';
import { caseSlaWarningV1 } from './cases/case-sla-warning.v1';
import { caseStatusChangedV1 } from './cases/case-status-changed.v1';
import { caseSurveyAnsweredV1 } from './cases/case-survey-answered.v1';
import { approvalDecidedV1 } from './processes/approval-decided.v1';
import { approvalEscalatedV1 } from './processes/approval-escalated.v1';
import { approvalRequestedV1 } from './processes/approval-requested.v1';
import { processCompletedV1 } from './processes/process-completed.v1';
import { processStepClosedV1 } from './processes/process-step-closed.v1';
import { processStartedV1 } from './processes/process-started.v1';
import { orderPlacedV1 } from './orders/order-placed.v1';
import { orderStatusChangedV1 } from './orders/order-status-changed.v1';
import { invoiceOverdueV1 } from './orders/invoice-overdue.v1';
import { quoteAnsweredV1 } from './quotes/quote-answered.v1';
import { quoteSentV1 } from './quotes/quote-sent.v1';
import { webhookDisabledV1 } from './webhooks/webhook-disabled.v1';
import { importCompletedV1 } from './imports/import-completed.v1';
import { exportCompletedV1 } from './exports/export-completed.v1';
import { exportRequestedV1 } from './exports/export-requested.v1';
import { contractCreatedV1 } from './contracts/contract-created.v1';
import { contractEndedV1 } from './contracts/contract-ended.v1';
import { contractRenewalDueV1 } from './contracts/contract-renewal-due.v1';
import { campaignCompletedV1 } from './campaign-completed.v1';
import { campaignRunRequestedV1 } from './campaign-run-requested.v1';
import { customerAssignedV1 } from './customer-assigned.v1';
import { customerClaimedV1 } from './customer-claimed.v1';
import { customerCreatedV1 } from './customer-created.v1';
import { customerErasedV1 } from './customer-erased.v1';
import { customerMergedV1 } from './customer-merged.v1';
import { customerReclaimedV1 } from './customer-reclaimed.v1';
import { customerReclaimWarningV1 } from './customer-reclaim-warning.v1';
import { customerReleasedV1 } from './customer-released.v1';
import { customerStageChangedV1 } from './customer-stage-changed.v1';
import { customerUpdatedV1 } from './customer-updated.v1';
import { dealCreatedV1 } from './deal-created.v1';
import { dealLostV1 } from './deal-lost.v1';
import { dealStageChangedV1 } from './deal-stage-changed.v1';
import { dealWonV1 } from './deal-won.v1';
import { leadAssignedV1 } from './lead-assigned.v1';
import { leadConvertedV1 } from './lead-converted.v1';
import { leadCreatedV1 } from './lead-created.v1';
import { leadErasedV1 } from './privacy/lead-erased.v1';
import { leadQualifiedV1 } from './lead-qualified.v1';
import { leadDisqualifiedV1 } from './leads/lead-disqualified.v1';
import { leadNurturedV1 } from './leads/lead-nurtured.v1';
import { poolCreatedV1 } from './pool-created.v1';
import { poolPolicyChangedV1 } from './pool-policy-changed.v1';
import { reclaimRescheduleContinuedV1 } from './reclaim-reschedule-continued.v1';
import { taskCompletedV1 } from './task-completed.v1';
import { taskCreatedV1 } from './task-created.v1';

/** Every contract by detail-type: the outbox relay validates against it before publishing. */
export const EVENT_CONTRACTS = {
  [customerCreatedV1.detailType]: customerCreatedV1,
  [customerUpdatedV1.detailType]: customerUpdatedV1,
  [customerStageChangedV1.detailType]: customerStageChangedV1,
  [activityLoggedV1.detailType]: activityLoggedV1,
  [customerErasedV1.detailType]: customerErasedV1,
  [customerMergedV1.detailType]: customerMergedV1,
  [customerClaimedV1.detailType]: customerClaimedV1,
  [customerReleasedV1.detailType]: customerReleasedV1,
  [customerAssignedV1.detailType]: customerAssignedV1,
  [customerReclaimedV1.detailType]: customerReclaimedV1,
  [customerReclaimWarningV1.detailType]: customerReclaimWarningV1,
  [dealCreatedV1.detailType]: dealCreatedV1,
  [dealStageChangedV1.detailType]: dealStageChangedV1,
  [dealWonV1.detailType]: dealWonV1,
  [dealLostV1.detailType]: dealLostV1,
  [poolCreatedV1.detailType]: poolCreatedV1,
  [poolPolicyChangedV1.detailType]: poolPolicyChangedV1,
  [reclaimRescheduleContinuedV1.detailType]: reclaimRescheduleContinuedV1,
  [leadCreatedV1.detailType]: leadCreatedV1,
  [leadErasedV1.detailType]: leadErasedV1,
  [leadQualifiedV1.detailType]: leadQualifiedV1,
  [leadNurturedV1.detailType]: leadNurturedV1,
  [leadDisqualifiedV1.detailType]: leadDisqualifiedV1,
  [leadAssignedV1.detailType]: leadAssignedV1,
  [leadConvertedV1.detailType]: leadConvertedV1,
  [campaignCompletedV1.detailType]: campaignCompletedV1,
  [campaignRunRequestedV1.detailType]: campaignRunRequestedV1,
  [taskCreatedV1.detailType]: taskCreatedV1,
  [taskCompletedV1.detailType]: taskCompletedV1,
  [bookTransferRequestedV1.detailType]: bookTransferRequestedV1,
  [caseOpenedV1.detailType]: caseOpenedV1,
  [caseMessageAddedV1.detailType]: caseMessageAddedV1,
  [caseStatusChangedV1.detailType]: caseStatusChangedV1,
  [caseSurveyAnsweredV1.detailType]: caseSurveyAnsweredV1,
  [agentUpdatedV1.detailType]: agentUpdatedV1,
  [caseSlaWarningV1.detailType]: caseSlaWarningV1,
  [caseSlaBreachedV1.detailType]: caseSlaBreachedV1,
  [processStartedV1.detailType]: processStartedV1,
  [approvalRequestedV1.detailType]: approvalRequestedV1,
  [approvalDecidedV1.detailType]: approvalDecidedV1,
  [approvalEscalatedV1.detailType]: approvalEscalatedV1,
  [processStepClosedV1.detailType]: processStepClosedV1,
  [processCompletedV1.detailType]: processCompletedV1,
  [quoteSentV1.detailType]: quoteSentV1,
  [webhookDisabledV1.detailType]: webhookDisabledV1,
  [importCompletedV1.detailType]: importCompletedV1,
  [exportRequestedV1.detailType]: exportRequestedV1,
  [exportCompletedV1.detailType]: exportCompletedV1,
  [quoteAnsweredV1.detailType]: quoteAnsweredV1,
  [orderPlacedV1.detailType]: orderPlacedV1,
  [orderStatusChangedV1.detailType]: orderStatusChangedV1,
  [invoiceOverdueV1.detailType]: invoiceOverdueV1,
  [contractCreatedV1.detailType]: contractCreatedV1,
  [contractEndedV1.detailType]: contractEndedV1,
  [contractRenewalDueV1.detailType]: contractRenewalDueV1,
} as const;

export type KnownDetailType = keyof typeof EVENT_CONTRACTS;

export function contractFor(detailType: string) {
  return (EVENT_CONTRACTS as Record<string, (typeof EVENT_CONTRACTS)[KnownDetailType] | undefined>)[detailType];
}

export {
  activityLoggedV1,
  approvalDecidedV1,
  approvalEscalatedV1,
  approvalRequestedV1,
  contractCreatedV1,
  contractEndedV1,
  contractRenewalDueV1,
  invoiceOverdueV1,
  orderPlacedV1,
  orderStatusChangedV1,
  quoteAnsweredV1,
  quoteSentV1,
  webhookDisabledV1,
  importCompletedV1,
  exportCompletedV1,
  exportRequestedV1,
  processCompletedV1,
  processStartedV1,
  processStepClosedV1,
  agentUpdatedV1,
  caseMessageAddedV1,
  caseOpenedV1,
  caseStatusChangedV1,
  caseSurveyAnsweredV1,
  caseSlaBreachedV1,
  caseSlaWarningV1,
  bookTransferRequestedV1,
  campaignCompletedV1,
  campaignRunRequestedV1,
  customerAssignedV1,
  customerClaimedV1,
  customerCreatedV1,
  customerErasedV1,
  customerMergedV1,
  customerReclaimedV1,
  customerReclaimWarningV1,
  customerReleasedV1,
  customerStageChangedV1,
  customerUpdatedV1,
  dealCreatedV1,
  dealLostV1,
  dealStageChangedV1,
  dealWonV1,
  poolCreatedV1,
  poolPolicyChangedV1,
  reclaimRescheduleContinuedV1,
  leadAssignedV1,
  leadConvertedV1,
  leadCreatedV1,
  leadErasedV1,
  leadQualifiedV1,
  leadNurturedV1,
  leadDisqualifiedV1,
  taskCompletedV1,
  taskCreatedV1,
};
