import type * as z from 'zod/mini';
import { activityLoggedV1 } from '../../events/activity-logged.v1';
import { agentUpdatedV1 } from '../../events/agents/agent-updated.v1';
import { bookTransferRequestedV1 } from '../../events/user-book-transfer-requested.v1';
import { campaignCompletedV1 } from '../../events/campaign-completed.v1';
import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import { caseSurveyAnsweredV1 } from '../../events/cases/case-survey-answered.v1';
import { caseSlaBreachedV1 } from '../../events/cases/case-sla-breached.v1';
import { caseSlaWarningV1 } from '../../events/cases/case-sla-warning.v1';
import { campaignRunRequestedV1 } from '../../events/campaign-run-requested.v1';
import { customerAssignedV1 } from '../../events/customer-assigned.v1';
import { customerClaimedV1 } from '../../events/customer-claimed.v1';
import { customerCreatedV1 } from '../../events/customer-created.v1';
import { customerErasedV1 } from '../../events/customer-erased.v1';
import { customerMergedV1 } from '../../events/customer-merged.v1';
import { customerReclaimedV1 } from '../../events/customer-reclaimed.v1';
import { customerReclaimWarningV1 } from '../../events/customer-reclaim-warning.v1';
import { customerReleasedV1 } from '../../events/customer-released.v1';
import { customerStageChangedV1 } from '../../events/customer-stage-changed.v1';
import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import { dealCreatedV1 } from '../../events/deal-created.v1';
import { dealLostV1 } from '../../events/deal-lost.v1';
import { dealStageChangedV1 } from '../../events/deal-stage-changed.v1';
import { dealWonV1 } from '../../events/deal-won.v1';
import { leadAssignedV1 } from '../../events/lead-assigned.v1';
import { leadConvertedV1 } from '../../events/lead-converted.v1';
import { leadErasedV1 } from '../../events/privacy/lead-erased.v1';
import { leadCreatedV1 } from '../../events/lead-created.v1';
import { leadQualifiedV1 } from '../../events/lead-qualified.v1';
import { leadDisqualifiedV1 } from '../../events/leads/lead-disqualified.v1';
import { leadNurturedV1 } from '../../events/leads/lead-nurtured.v1';
import { poolCreatedV1 } from '../../events/pool-created.v1';
import { poolPolicyChangedV1 } from '../../events/pool-policy-changed.v1';
import { reclaimRescheduleContinuedV1 } from '../../events/reclaim-reschedule-continued.v1';
import { taskCompletedV1 } from '../../events/task-completed.v1';
import { taskCreatedV1 } from '../../events/task-created.v1';
import { approvalDecidedV1 } from '../../events/processes/approval-decided.v1';
import { approvalEscalatedV1 } from '../../events/processes/approval-escalated.v1';
import { approvalRequestedV1 } from '../../events/processes/approval-requested.v1';
import { processCompletedV1 } from '../../events/processes/process-completed.v1';
import { processStepClosedV1 } from '../../events/processes/process-step-closed.v1';
import { processStartedV1 } from '../../events/processes/process-started.v1';
import { orderPlacedV1 } from '../../events/orders/order-placed.v1';
import { orderStatusChangedV1 } from '../../events/orders/order-status-changed.v1';
import { invoiceOverdueV1 } from '../../events/orders/invoice-overdue.v1';
import { quoteAnsweredV1 } from '../../events/quotes/quote-answered.v1';
import { quoteSentV1 } from '../../events/quotes/quote-sent.v1';
import { webhookDisabledV1 } from '../../events/webhooks/webhook-disabled.v1';
import { importCompletedV1 } from '../../events/imports/import-completed.v1';
import { exportCompletedV1 } from '../../events/exports/export-completed.v1';
import { exportRequestedV1 } from '../../events/exports/export-requested.v1';
import { contractCreatedV1 } from '../../events/contracts/contract-created.v1';
import { contractEndedV1 } from '../../events/contracts/contract-ended.v1';
import { contractRenewalDueV1 } from '../../events/contracts/contract-renewal-due.v1';
import type { TimelineActivityType } from './activity';

/**
 * What one domain event puts on a customer's timeline: whose timeline, the entry's type, a short
 * subject and a payload. Built from the event's data alone, which holds ids, stages, amounts,
 * times and rule names, never a name, address or free text (docs/events.md), so an entry carries
 * no personal data; erasure still reduces it to its skeleton like every activity.
 */
export interface TimelineEntry {
  customerId: string;
  type: TimelineActivityType;
  subject: string;
  payload: Record<string, unknown>;
}

interface Row<TData> {
  contract: { detailType: string; schema: z.ZodMiniType<{ data: TData }> };
  /** The entry, or null when this event is about no customer (a lead's task). */
  entry: (data: TData) => TimelineEntry | null;
}

/** One row per event the timeline consumer records; `row` keeps the data typed by its contract. */
const row = <TData>(contract: Row<TData>['contract'], entry: (data: TData) => TimelineEntry | null): Row<unknown> => ({
  contract,
  entry: entry as (data: unknown) => TimelineEntry | null,
});

const deal = (customerId: string, subject: string, payload: Record<string, unknown>): TimelineEntry => ({ customerId, type: 'deal', subject, payload });
const ownership = (customerId: string, subject: string, payload: Record<string, unknown>): TimelineEntry => ({ customerId, type: 'ownership', subject, payload });
const serviceCase = (customerId: string, subject: string, payload: Record<string, unknown>): TimelineEntry => ({ customerId, type: 'case', subject, payload });
const process = (customerId: string, subject: string, payload: Record<string, unknown>): TimelineEntry => ({ customerId, type: 'process', subject, payload });
const PROCESS_OUTCOME_WORDS = { approved: 'approved', rejected: 'rejected', recalled: 'recalled by its requester', stale: 'ended: the request changed under it' } as const;
const SLA_TARGET_WORDS = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' } as const;
const MESSAGE_SUBJECTS = { inbound: 'The customer wrote on a case', outbound: 'Replied on a case', note: 'Internal note on a case' } as const;

/**
 * The covered events, by detail-type. Adding an event to the timeline is a row here: the
 * consumer and the rule's pattern on the bus (infra/stacks/stateless-stack.ts) follow it.
 */
export const TIMELINE_ROWS: Readonly<Record<string, Row<unknown>>> = Object.fromEntries(
  [
    row(dealCreatedV1, (d) =>
      deal(d.customerId, `Deal opened: ${d.amount} ${d.currency}`, {
        dealId: d.dealId, pipelineId: d.pipelineId, stageId: d.stageId, ownerId: d.ownerId, amount: d.amount, currency: d.currency, expectedCloseDate: d.expectedCloseDate,
      }),
    ),
    row(dealStageChangedV1, (d) =>
      deal(d.customerId, d.fromStatus === 'open' ? `Deal moved to another stage (${d.probability}%)` : `Deal reopened (was ${d.fromStatus})`, {
        dealId: d.dealId, pipelineId: d.pipelineId, fromStageId: d.fromStageId, toStageId: d.toStageId, fromStatus: d.fromStatus, probability: d.probability, ownerId: d.ownerId,
      }),
    ),
    row(dealWonV1, (d) =>
      deal(d.customerId, `Deal won: ${d.amount} ${d.currency}`, { dealId: d.dealId, pipelineId: d.pipelineId, stageId: d.stageId, ownerId: d.ownerId, amount: d.amount, currency: d.currency, closedAt: d.closedAt }),
    ),
    row(dealLostV1, (d) =>
      deal(d.customerId, `Deal lost: ${d.amount} ${d.currency}`, { dealId: d.dealId, pipelineId: d.pipelineId, stageId: d.stageId, ownerId: d.ownerId, amount: d.amount, currency: d.currency, closedAt: d.closedAt }),
    ),
    row(customerClaimedV1, (d) => ownership(d.customerId, 'Claimed from a pool', { change: 'claimed', fromOwnerId: d.fromOwnerId, toOwnerId: d.toOwnerId, poolId: d.poolId })),
    row(customerReleasedV1, (d) => ownership(d.customerId, 'Released to a pool', { change: 'released', fromOwnerId: d.fromOwnerId, toOwnerId: d.toOwnerId, poolId: d.poolId })),
    row(customerAssignedV1, (d) =>
      ownership(d.customerId, d.fromOwnerId ? 'Transferred to another owner' : d.poolId ? 'Assigned from a pool' : 'Assigned to an owner', {
        change: 'assigned', fromOwnerId: d.fromOwnerId, toOwnerId: d.toOwnerId, poolId: d.poolId,
      }),
    ),
    row(customerReclaimedV1, (d) =>
      ownership(d.customerId, `Reclaimed to a pool (${d.rule}: ${d.days} days)`, { change: 'reclaimed', fromOwnerId: d.fromOwnerId, toOwnerId: d.toOwnerId, poolId: d.poolId, rule: d.rule, days: d.days }),
    ),
    row(customerReclaimWarningV1, (d) =>
      ownership(d.customerId, `Will be reclaimed at ${d.reclaimAt} without a follow-up`, { change: 'reclaim-warning', ownerId: d.ownerId, reclaimAt: d.reclaimAt, rule: d.rule, days: d.days }),
    ),
    row(caseOpenedV1, (d) =>
      // After-sales: a case about an order says so, and names the order for the 360 view to link.
      serviceCase(d.customerId, `Case opened (${d.priority}, ${d.category}, by ${d.channel})${d.orderId ? ' about an order' : ''}`, {
        caseId: d.caseId, priority: d.priority, category: d.category, channel: d.channel, assigneeId: d.assigneeId, orderId: d.orderId ?? null,
      }),
    ),
    row(caseMessageAddedV1, (d) => serviceCase(d.customerId, MESSAGE_SUBJECTS[d.kind], { caseId: d.caseId, messageId: d.messageId, kind: d.kind, status: d.status })),
    row(caseStatusChangedV1, (d) => serviceCase(d.customerId, `Case ${d.to} (was ${d.from})`, { caseId: d.caseId, from: d.from, to: d.to, assigneeId: d.assigneeId })),
    // Satisfaction surveys: the customer's answer (and each change of it) on their timeline; the comment stays on the survey.
    row(caseSurveyAnsweredV1, (d) =>
      serviceCase(d.customerId, `${d.kind.toUpperCase()} ${d.previousScore === null ? 'answered' : 'changed'}: ${d.score} of ${d.kind === 'csat' ? 5 : 10}${d.previousScore === null ? '' : ` (was ${d.previousScore})`}`, {
        caseId: d.caseId, surveyId: d.surveyId, kind: d.kind, score: d.score, previousScore: d.previousScore, low: d.low, hasComment: d.hasComment, agentId: d.agentId,
      }),
    ),
    // SLA policies applied to cases: a warning and a breach are part of the service story told to the customer's team.
    row(caseSlaWarningV1, (d) => serviceCase(d.customerId, `SLA warning: ${SLA_TARGET_WORDS[d.target]} due ${d.dueAt ?? '(paused)'}`, { caseId: d.caseId, target: d.target, dueAt: d.dueAt, policyId: d.policyId, assigneeId: d.assigneeId })),
    row(caseSlaBreachedV1, (d) => serviceCase(d.customerId, `SLA breached: ${SLA_TARGET_WORDS[d.target]} was due ${d.dueAt}`, { caseId: d.caseId, target: d.target, dueAt: d.dueAt, policyId: d.policyId, assigneeId: d.assigneeId })),
    // Approval processes (docs/processes.md): each step asked, each decision, the outcome.
    row(approvalRequestedV1, (d) =>
      process(d.customerId, `Approval requested (${d.kind}), step ${d.step + 1}: ${d.approverIds.length} approver${d.approverIds.length === 1 ? '' : 's'}`, {
        processId: d.processId, kind: d.kind, subject: d.subject, step: d.step, approverIds: d.approverIds, requesterId: d.requesterId, dueAt: d.dueAt,
      }),
    ),
    row(approvalDecidedV1, (d) =>
      process(d.customerId, `Approval step ${d.step + 1} ${d.decision}${d.onBehalfOf ? ' by a delegate' : ''}`, {
        processId: d.processId, approvalId: d.approvalId, kind: d.kind, subject: d.subject, step: d.step, decision: d.decision, approverId: d.approverId, onBehalfOf: d.onBehalfOf, stepOutcome: d.stepOutcome,
      }),
    ),
    row(approvalEscalatedV1, (d) =>
      process(d.customerId, `Approval step ${d.step + 1} escalated to the ${d.via === 'manager' ? "approver's manager" : 'admins'} after its time limit`, {
        processId: d.processId, approvalId: d.approvalId, newApprovalId: d.newApprovalId, kind: d.kind, subject: d.subject, step: d.step, fromApproverId: d.fromApproverId, toApproverId: d.toApproverId, onBehalfOf: d.onBehalfOf, dueAt: d.dueAt, newDueAt: d.newDueAt,
      }),
    ),
    row(processCompletedV1, (d) =>
      process(d.customerId, `Approval (${d.kind}) ${PROCESS_OUTCOME_WORDS[d.outcome]}`, { processId: d.processId, kind: d.kind, subject: d.subject, outcome: d.outcome, requesterId: d.requesterId }),
    ),
    // Sent quotes (docs/processes.md, "Sending a quote"): the mail with its link, the customer's answer.
    row(quoteSentV1, (d) =>
      process(d.customerId, `Quote ${d.resent ? 'sent again' : 'sent'}: ${d.total} ${d.currency}, valid until ${d.validUntil}`, {
        quoteId: d.quoteId, dealId: d.dealId, ownerId: d.ownerId, contactId: d.contactId, currency: d.currency, total: d.total, validUntil: d.validUntil, resent: d.resent,
      }),
    ),
    row(quoteAnsweredV1, (d) =>
      process(d.customerId, `Quote ${d.outcome} by the customer${d.orderId ? ', order placed' : ''}`, { quoteId: d.quoteId, dealId: d.dealId, ownerId: d.ownerId, outcome: d.outcome, orderId: d.orderId, currency: d.currency, total: d.total }),
    ),
    // Orders (docs/processes.md, "Orders"): the purchase and each step it takes.
    row(orderPlacedV1, (d) =>
      process(d.customerId, `Order placed: ${d.total} ${d.currency}`, { orderId: d.orderId, quoteId: d.quoteId, dealId: d.dealId, ownerId: d.ownerId, currency: d.currency, total: d.total, lineCount: d.lineCount }),
    ),
    row(orderStatusChangedV1, (d) =>
      process(d.customerId, `Order ${d.to}${d.to === 'invoiced' && d.dueDate ? `, due ${d.dueDate}` : ''}`, { orderId: d.orderId, from: d.from, to: d.to, currency: d.currency, total: d.total, dueDate: d.dueDate }),
    ),
    row(invoiceOverdueV1, (d) => process(d.customerId, `Invoice overdue: ${d.balance} ${d.currency} was due ${d.dueDate}`, { orderId: d.orderId, ownerId: d.ownerId, dueDate: d.dueDate, currency: d.currency, balance: d.balance })),
    // Contracts (docs/processes.md, "Contracts"): drawn up, ended early, due for renewal; the approval's outcome is the process's row.
    row(contractCreatedV1, (d) =>
      process(d.customerId, `Contract ${d.number} ${d.status === 'active' ? 'active' : 'awaiting approval'}: ${d.value} ${d.currency}, ${d.startsOn} to ${d.endsOn}`, {
        contractId: d.contractId, number: d.number, quoteId: d.quoteId, orderId: d.orderId, ownerId: d.ownerId, currency: d.currency, value: d.value, startsOn: d.startsOn, endsOn: d.endsOn, status: d.status, processId: d.processId,
      }),
    ),
    row(contractEndedV1, (d) => process(d.customerId, `Contract ${d.number} ${d.to}`, { contractId: d.contractId, number: d.number, from: d.from, to: d.to, endsOn: d.endsOn, hasReason: d.hasReason })),
    row(contractRenewalDueV1, (d) =>
      process(d.customerId, `Contract ${d.number} due for renewal: ends ${d.endsOn}`, { contractId: d.contractId, number: d.number, ownerId: d.ownerId, endsOn: d.endsOn, renewalNoticeDays: d.renewalNoticeDays, currency: d.currency, value: d.value, taskId: d.taskId }),
    ),
    // A lead's task stays off every customer's timeline (its lead has none yet); a deal's task names the deal's customer.
    row(taskCreatedV1, (d) =>
      d.customerId
        ? { customerId: d.customerId, type: 'task', subject: `Task opened: ${d.taskType}, due ${d.dueAt}`, payload: { taskId: d.taskId, taskType: d.taskType, assigneeId: d.assigneeId, dueAt: d.dueAt, dealId: d.dealId, source: d.source } }
        : null,
    ),
  ].map((r) => [r.contract.detailType, r]),
);

/** What the timeline rule on the CRM bus matches: exactly the rows above. */
export const TIMELINE_EVENT_DETAIL_TYPES: readonly string[] = Object.keys(TIMELINE_ROWS);

/**
 * Every other contract, and why it has no row: the timeline holds its story already, or the event
 * is about no single customer. A test holds every contract to one of the two lists, so a new event
 * is a decision, not an oversight.
 */
export const NOT_ON_TIMELINE: Readonly<Record<string, string>> = {
  [customerCreatedV1.detailType]: 'the profile records its creation (createdAt, createdBy); the welcome mail writes its own `email` entry',
  [customerUpdatedV1.detailType]: 'names of changed fields only; the profile holds the values and its version',
  [customerStageChangedV1.detailType]: 'a won deal moves the stage and has its own entry; edits are profile changes',
  [activityLoggedV1.detailType]: 'it announces an entry already written',
  [customerErasedV1.detailType]: 'erasure reduces the timeline to skeletons; nothing may be added to an erased customer',
  [customerMergedV1.detailType]: 'the merge writes a `merge` entry on both timelines in its own transaction',
  [leadCreatedV1.detailType]: 'a lead matching a customer already writes its `lead` entry (the entry id is the lead id); a new lead has no customer',
  [leadQualifiedV1.detailType]: 'about a lead, which has no customer before conversion (the event names none); the `lead` entry of the conversion keeps its history',
  [leadAssignedV1.detailType]: 'about a lead, which has no customer before conversion',
  [leadNurturedV1.detailType]: 'about a lead, which has no customer before conversion; the lead keeps the reason',
  [leadDisqualifiedV1.detailType]: 'about a lead, which has no customer before conversion; the lead keeps the reason',
  [leadConvertedV1.detailType]: 'the conversion writes the `lead` entry (`activityId`) in its own transaction',
  [leadErasedV1.detailType]: 'about a lead, which has no customer; erasing a customer erases its leads itself',
  [taskCompletedV1.detailType]: 'completion writes the call, meeting, note or email entry (`activityId`) in its own transaction',
  [campaignCompletedV1.detailType]: 'one per campaign, not per customer; a recipient sees SES events as `email-event` entries',
  [campaignRunRequestedV1.detailType]: 'internal to the campaign flow',
  [poolCreatedV1.detailType]: 'about a pool',
  [webhookDisabledV1.detailType]: 'about a webhook: its admins are mailed',
  [importCompletedV1.detailType]: 'about a whole file: each imported customer records its creation (createdAt, createdBy)',
  [exportRequestedV1.detailType]: 'about an export job, not a customer; internal to the export run',
  [exportCompletedV1.detailType]: 'one per export, not per customer: the audit trail of who took how many records out',
  [poolPolicyChangedV1.detailType]: 'about a pool',
  [reclaimRescheduleContinuedV1.detailType]: 'internal to the reclaim scheduling',
  [bookTransferRequestedV1.detailType]: "about a user's book; each customer it moves gets its `ownership` entry from its own crm.customer.assigned.v1 or released event",
  // Routing to agents (docs/service.md): a routed assignment is a crm.case.status-changed.v1, which has its row.
  [processStartedV1.detailType]: "the first step's crm.approval.requested.v1 tells it, with who is asked",
  [processStepClosedV1.detailType]: 'internal to the approval flow; the decision that closed the step has its row',
  [agentUpdatedV1.detailType]: "about an agent's presence and capacity, not a customer; the cases it moves get their entries from crm.case.status-changed.v1",
};

/** The entry an event stands for, or null: not covered, or about no customer. */
export function timelineEntryOf(detailType: string, data: unknown): TimelineEntry | null {
  return TIMELINE_ROWS[detailType]?.entry(data) ?? null;
}
