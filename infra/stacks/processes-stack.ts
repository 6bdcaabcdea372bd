import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../events/envelope';
import { processStartedV1 } from '../../events/processes/process-started.v1';
import { processStepClosedV1 } from '../../events/processes/process-step-closed.v1';
import { orderStatusChangedV1 } from '../../events/orders/order-status-changed.v1';
import { approvalEscalatedV1 } from '../../events/processes/approval-escalated.v1';
import { quoteSentV1 } from '../../events/quotes/quote-sent.v1';
import { ESCALATION_SWEEP_MINUTES } from '../../shared/approvals/approval-escalation-use-cases';
import { OVERDUE_SWEEP_MINUTES } from '../../shared/orders/overdue-invoices-use-case';
import { ENV } from '../../shared/runtime-env';
import { contractRenewalDueV1 } from '../../events/contracts/contract-renewal-due.v1';
import { RENEWAL_SWEEP_MINUTES } from '../../shared/contracts/contract-renewals-use-case';
import { METADATA } from '../metadata';
import { ApprovalFlow } from '../constructs/approval-flow';
import type { CrmFunction } from '../constructs/crm-function';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from '../constructs/dead-letter-queue';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Customer processes (docs/processes.md): the product catalog, quotes, approval policies and the
 * approval flow that walks a process's chain of steps, orders and the order document mailed on dispatch. Its own stack, as each domain has
 * (docs/decisions.md, 43).
 */
export class ProcessesStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<ProcessesFunctionName, CrmFunction>>;
  /** Where deliveries land when their target failed every retry. */
  readonly deadLetterQueues: Readonly<Record<'startApprovalFlow' | 'resumeApprovalFlow' | 'mailOrderDocument' | 'escalateOverdueApprovals' | 'mailEscalatedApproval' | 'raiseOverdueInvoices' | 'mailQuoteLink' | 'raiseContractRenewals' | 'mailContractRenewal', DeadLetterQueue>>;
  readonly approvalFlow: ApprovalFlow;

  constructor(scope: Construct, id: string, props: ProcessesStackProps) {
    super(scope, id, props, 'processes');
    const { table, bus } = props;

    const openApprovalStep = this.fn('OpenApprovalStep', 'functions/approvals/open-approval-step.ts').grantTable(table, 'readWrite');
    const finishApprovalProcess = this.fn('FinishApprovalProcess', 'functions/approvals/finish-approval-process.ts').grantTable(table, 'readWrite');
    this.approvalFlow = new ApprovalFlow(this, 'ApprovalFlow', { config: this.config, openApprovalStep, finishApprovalProcess });
    // OpenStep answers its own token when a replay finds the step already decided.
    this.approvalFlow.grantTaskResponse(openApprovalStep);

    const startDlq = new DeadLetterQueue(this, 'StartApprovalFlowDlq');
    new events.Rule(this, 'ProcessStartedToApprovalFlow', {
      eventBus: bus,
      description: 'Starts the approval flow of each new approval process, from the commit that started it',
      eventPattern: { source: [EVENT_SOURCE], detailType: [processStartedV1.detailType] },
      targets: [new targets.SfnStateMachine(this.approvalFlow.stateMachine, { deadLetterQueue: startDlq, ...ASYNC_TARGET_DELIVERY })],
    });

    const resumeApprovalFlow = this.fn('ResumeApprovalFlow', 'functions/approvals/resume-approval-flow.ts');
    this.approvalFlow.grantTaskResponse(resumeApprovalFlow);
    const resumeDlq = new DeadLetterQueue(this, 'ResumeApprovalFlowDlq');
    new events.Rule(this, 'StepClosedToResumeApprovalFlow', {
      eventBus: bus,
      description: "Answers the approval flow's waiting step once a decision (or a recall) closed it",
      eventPattern: { source: [EVENT_SOURCE], detailType: [processStepClosedV1.detailType] },
      targets: [this.asyncTarget(resumeApprovalFlow, resumeDlq)],
    });

    // Order dispatch: the order document mailed to the customer once the order is dispatched.
    const mailOrderDocument = this.fn('MailOrderDocument', 'functions/orders/mail-order-document.ts').grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, this.config.mailFrom);
    const dispatchDlq = new DeadLetterQueue(this, 'MailOrderDocumentDlq');
    new events.Rule(this, 'OrderDispatchedToMailOrderDocument', {
      eventBus: bus,
      description: 'Mails the order document to the customer when their order is dispatched, once',
      eventPattern: { source: [EVENT_SOURCE], detailType: [orderStatusChangedV1.detailType], detail: { data: { to: ['dispatched'] } } },
      targets: [this.asyncTarget(mailOrderDocument, dispatchDlq)],
    });

    // Sending a quote: the mail with its signed link to view and answer it, once per sending.
    const mailQuoteLink = this.fn('MailQuoteLink', 'functions/quotes/mail-quote-link.ts').grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, this.config.mailFrom);
    // Its link points at the public API and is signed with the stage's link secret.
    mailQuoteLink.addEnvironment(ENV.apiBaseUrl, props.httpApi.api.apiEndpoint);
    props.unsubscribeSecret.grantReadCreate(mailQuoteLink);
    const quoteMailDlq = new DeadLetterQueue(this, 'MailQuoteLinkDlq');
    new events.Rule(this, 'QuoteSentToMailQuoteLink', {
      eventBus: bus,
      description: 'Mails a sent quote to the customer with its signed link, once per sending',
      eventPattern: { source: [EVENT_SOURCE], detailType: [quoteSentV1.detailType] },
      targets: [this.asyncTarget(mailQuoteLink, quoteMailDlq)],
    });

    // Escalation past a step's time limit: a sweep, every 5 minutes on prod and staging, every 15 on
    // dev-like stages (their idle budget, docs/cost.md). Untraced like the other frequent sweeps (decision 57).
    const sweepMinutes = ['prod', 'staging'].includes(this.config.stage) ? ESCALATION_SWEEP_MINUTES.persistent : ESCALATION_SWEEP_MINUTES.devLike;
    const escalateOverdueApprovals = this.fn('EscalateOverdueApprovals', 'functions/approvals/escalate-overdue-approvals.ts', Duration.seconds(60), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const escalationDlq = new DeadLetterQueue(this, 'EscalateOverdueApprovalsDlq');
    const escalationSchedule = new events.Rule(this, 'ApprovalEscalationsSchedule', {
      description: "Escalates pending approvals past their step's time limit to the approver's manager (or an admin), each once",
      schedule: events.Schedule.rate(Duration.minutes(sweepMinutes)),
      targets: [this.asyncTarget(escalateOverdueApprovals, escalationDlq)],
    });
    (escalationSchedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'approval-escalations');

    const mailEscalatedApproval = this.fn('MailEscalatedApproval', 'functions/approvals/mail-escalated-approval.ts').grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, this.config.mailFrom);
    const escalationMailDlq = new DeadLetterQueue(this, 'MailEscalatedApprovalDlq');
    new events.Rule(this, 'ApprovalEscalatedToMailEscalatedApproval', {
      eventBus: bus,
      description: 'Tells the approver an escalated approval now waits on, once',
      eventPattern: { source: [EVENT_SOURCE], detailType: [approvalEscalatedV1.detailType] },
      targets: [this.asyncTarget(mailEscalatedApproval, escalationMailDlq)],
    });

    // Overdue invoices: due dates are days, so hourly on prod and staging, daily on dev-like stages (their idle budget).
    const overdueMinutes = ['prod', 'staging'].includes(this.config.stage) ? OVERDUE_SWEEP_MINUTES.persistent : OVERDUE_SWEEP_MINUTES.devLike;
    const raiseOverdueInvoices = this.fn('RaiseOverdueInvoices', 'functions/orders/raise-overdue-invoices.ts', Duration.seconds(60), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const overdueDlq = new DeadLetterQueue(this, 'RaiseOverdueInvoicesDlq');
    const overdueSchedule = new events.Rule(this, 'InvoiceOverdueSchedule', {
      description: 'Raises crm.invoice.overdue.v1 once for each invoiced order past its due date and unpaid',
      schedule: events.Schedule.rate(Duration.minutes(overdueMinutes)),
      targets: [this.asyncTarget(raiseOverdueInvoices, overdueDlq)],
    });
    (overdueSchedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'invoice-overdue');

    // Contract renewals: notice periods are days, so hourly on prod and staging, daily on dev-like stages, as overdue invoices.
    const renewalMinutes = ['prod', 'staging'].includes(this.config.stage) ? RENEWAL_SWEEP_MINUTES.persistent : RENEWAL_SWEEP_MINUTES.devLike;
    const raiseContractRenewals = this.fn('RaiseContractRenewals', 'functions/contracts/raise-contract-renewals.ts', Duration.seconds(60), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const renewalDlq = new DeadLetterQueue(this, 'RaiseContractRenewalsDlq');
    const renewalSchedule = new events.Rule(this, 'ContractRenewalsSchedule', {
      description: "Opens the owner's renewal task and raises crm.contract.renewal-due.v1 once for each active contract whose renewal notice has come",
      schedule: events.Schedule.rate(Duration.minutes(renewalMinutes)),
      targets: [this.asyncTarget(raiseContractRenewals, renewalDlq)],
    });
    (renewalSchedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'contract-renewals');

    const mailContractRenewal = this.fn('MailContractRenewal', 'functions/contracts/mail-contract-renewal.ts').grantTable(table, 'readWrite').grantSendEmail(props.configurationSet, this.config.mailFrom);
    const renewalMailDlq = new DeadLetterQueue(this, 'MailContractRenewalDlq');
    new events.Rule(this, 'ContractRenewalDueToMailContractRenewal', {
      eventBus: bus,
      description: "Tells a contract's owner its renewal is due, once",
      eventPattern: { source: [EVENT_SOURCE], detailType: [contractRenewalDueV1.detailType] },
      targets: [this.asyncTarget(mailContractRenewal, renewalMailDlq)],
    });

    this.functions = { openApprovalStep, finishApprovalProcess, resumeApprovalFlow, mailOrderDocument, escalateOverdueApprovals, mailEscalatedApproval, raiseOverdueInvoices, raiseContractRenewals, mailContractRenewal, mailQuoteLink };
    this.deadLetterQueues = {
      startApprovalFlow: startDlq,
      resumeApprovalFlow: resumeDlq,
      mailOrderDocument: dispatchDlq,
      escalateOverdueApprovals: escalationDlq,
      mailEscalatedApproval: escalationMailDlq,
      raiseOverdueInvoices: overdueDlq,
      mailQuoteLink: quoteMailDlq,
      raiseContractRenewals: renewalDlq,
      mailContractRenewal: renewalMailDlq,
    };
    // The quote link routes verify their tokens with the link secret.
    this.wire(this.functions, Object.values(this.deadLetterQueues), { unsubscribeSecret: props.unsubscribeSecret }, { approval: this.approvalFlow.stateMachine });
  }
}

export type ProcessesFunctionName =
  | 'openApprovalStep'
  | 'finishApprovalProcess'
  | 'resumeApprovalFlow'
  | 'mailOrderDocument'
  | 'escalateOverdueApprovals'
  | 'mailEscalatedApproval'
  | 'raiseOverdueInvoices'
  | 'raiseContractRenewals'
  | 'mailContractRenewal'
  | 'mailQuoteLink';

export interface ProcessesStackProps extends DomainStackProps {
  /** Signs the links of sent quotes. */
  readonly unsubscribeSecret: UnsubscribeKey;
}
