import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { caseSlaBreachedV1 } from '../../events/cases/case-sla-breached.v1';
import { caseSlaWarningV1 } from '../../events/cases/case-sla-warning.v1';
import { EVENT_SOURCE } from '../../events/envelope';
import { SLA_SWEEP_MINUTES } from '../../shared/cases/case-sla-use-cases';
import { METADATA } from '../metadata';
import type { CrmFunction } from '../constructs/crm-function';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Service (docs/service.md): the case routes (api/routes/cases.ts) and the reply sender that mails
 * an agent's reply once it is committed. Its own stack, as each domain has (docs/decisions.md, 43).
 */
export class ServiceStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<ServiceFunctionName, CrmFunction>>;
  /** Where reply events land when their function failed every retry. */
  readonly deadLetterQueues: Readonly<Record<ServiceFunctionName, DeadLetterQueue>>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props, 'service');
    const { table, bus, configurationSet } = props;

    const sendCaseReply = this.fn('SendCaseReply', 'functions/cases/send-case-reply.ts').grantTable(table, 'readWrite').grantSendEmail(configurationSet, this.config.mailFrom);
    const replyDlq = new DeadLetterQueue(this, 'SendCaseReplyDlq');
    new events.Rule(this, 'CaseMessageToSendCaseReply', {
      eventBus: bus,
      description: "Mails an agent's reply on a case to the requester, once",
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseMessageAddedV1.detailType], detail: { data: { kind: ['outbound'] } } },
      targets: [this.asyncTarget(sendCaseReply, replyDlq)],
    });

    // ---- SLA policies applied to cases ----
    // Every minute on prod and staging (an SLA alert is worth being on time), every 15 minutes on
    // dev-like stages (their idle budget, docs/cost.md); nearly always finding nothing, so untraced
    // like the marketing-due sweep (docs/decisions.md, 57).
    const slaSweepMinutes = ['prod', 'staging'].includes(this.config.stage) ? SLA_SWEEP_MINUTES.persistent : SLA_SWEEP_MINUTES.devLike;
    const raiseSlaAlerts = this.fn('RaiseSlaAlerts', 'functions/cases/raise-sla-alerts.ts', Duration.seconds(60), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const slaAlertsDlq = new DeadLetterQueue(this, 'RaiseSlaAlertsDlq');
    const slaSchedule = new events.Rule(this, 'SlaAlertsSchedule', {
      description: 'Raises the SLA warnings and breaches of cases whose time has come, each once',
      schedule: events.Schedule.rate(Duration.minutes(slaSweepMinutes)),
      targets: [this.asyncTarget(raiseSlaAlerts, slaAlertsDlq)],
    });
    (slaSchedule.node.defaultChild as CfnResource).addMetadata(METADATA.schedule, 'sla-alerts');
    const escalateSlaAlert = this.fn('EscalateSlaAlert', 'functions/cases/escalate-sla-alert.ts').grantTable(table, 'readWrite').grantSendEmail(configurationSet, this.config.mailFrom);
    const escalationDlq = new DeadLetterQueue(this, 'EscalateSlaAlertDlq');
    new events.Rule(this, 'SlaAlertToEscalateSlaAlert', {
      eventBus: bus,
      description: "Mails a case's SLA warning or breach to the policy's escalation targets, once each",
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseSlaWarningV1.detailType, caseSlaBreachedV1.detailType] },
      targets: [this.asyncTarget(escalateSlaAlert, escalationDlq)],
    });
    // ---- end SLA policies ----

    this.functions = { sendCaseReply, raiseSlaAlerts, escalateSlaAlert };
    this.deadLetterQueues = { sendCaseReply: replyDlq, raiseSlaAlerts: slaAlertsDlq, escalateSlaAlert: escalationDlq };
    this.wire(this.functions, Object.values(this.deadLetterQueues));
  }
}

export type ServiceFunctionName =
  | 'sendCaseReply'
  // SLA policies applied to cases.
  | 'raiseSlaAlerts'
  | 'escalateSlaAlert';
