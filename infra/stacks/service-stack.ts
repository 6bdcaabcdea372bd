import { type CfnResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import { INBOUND_OBJECT_PREFIX } from '../../shared/cases/ses-receipt';
import { ENV } from '../../shared/runtime-env';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { agentUpdatedV1 } from '../../events/agents/agent-updated.v1';
import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import { customerErasedV1 } from '../../events/customer-erased.v1';
import { caseSlaBreachedV1 } from '../../events/cases/case-sla-breached.v1';
import { caseSlaWarningV1 } from '../../events/cases/case-sla-warning.v1';
import { EVENT_SOURCE } from '../../events/envelope';
import { SLA_SWEEP_MINUTES } from '../../shared/cases/case-sla-use-cases';
import { METADATA } from '../metadata';
import type { CrmFunction } from '../constructs/crm-function';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { DomainStack, type DomainStackProps } from './domain-stack';
import { inboundMailBucketName } from './stateful-stack';
import { caseSurveyAnsweredV1 } from '../../events/cases/case-survey-answered.v1';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';

/**
 * Service (docs/service.md): the case routes (api/routes/cases.ts) and the reply sender that mails
 * an agent's reply once it is committed; the satisfaction surveys (api/routes/surveys.ts), their
 * sender and the follow-up of a low score. Its own stack, as each domain has (docs/decisions.md, 43).
 */
export class ServiceStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<ServiceFunctionName, CrmFunction>>;
  /** Where reply events land when their function failed every retry. */
  readonly deadLetterQueues: Readonly<Record<ServiceFunctionName, DeadLetterQueue>>;

  /** The stage's receipt rules: SES reads only the account's one active set, which deploying does not change (docs/service.md). */
  readonly inboundRuleSet: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
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

    // Inbound mail (docs/service.md, "Inbound mail"): SES stores the raw message, then the handler threads it onto its case.
    // By name (stateful-stack.ts): SES's write permission is the bucket's own policy, set there.
    const inboundMailBucket = s3.Bucket.fromBucketName(this, 'InboundMailBucket', inboundMailBucketName(this.config.stage));
    const receiveInboundMail = this.fn('ReceiveInboundMail', 'functions/cases/receive-inbound-mail.ts').grantTable(table, 'readWrite');
    // GetObject only, under the prefix SES writes (grantRead would add List and GetBucket*).
    receiveInboundMail.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [inboundMailBucket.arnForObjects(`${INBOUND_OBJECT_PREFIX}*`)] }));
    receiveInboundMail.addEnvironment(ENV.inboundMailBucket, inboundMailBucket.bucketName);
    receiveInboundMail.addEnvironment(ENV.inboundMailDomain, this.config.inboundMailDomain);
    receiveInboundMail.addEnvironment(ENV.mailFrom, this.config.mailFrom);
    const inboundDlq = new DeadLetterQueue(this, 'ReceiveInboundMailDlq');
    receiveInboundMail.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(inboundDlq) });
    this.inboundRuleSet = new ses.ReceiptRuleSet(this, 'InboundMailRules', {
      receiptRuleSetName: `crm-${this.config.stage}-inbound`,
      rules: [
        {
          recipients: [this.config.inboundMailDomain],
          scanEnabled: true,
          actions: [
            new sesActions.S3({ bucket: inboundMailBucket, objectKeyPrefix: INBOUND_OBJECT_PREFIX }),
            new sesActions.Lambda({ function: receiveInboundMail, invocationType: sesActions.LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });

    // satisfaction surveys (CSAT, NPS; docs/service.md, "Satisfaction surveys")
    const sendCaseSurvey = this.fn('SendCaseSurvey', 'functions/surveys/send-case-survey.ts').grantTable(table, 'readWrite').grantSendEmail(configurationSet, this.config.mailFrom);
    // Its links point at the public API and are signed with the stage's link secret.
    sendCaseSurvey.addEnvironment(ENV.apiBaseUrl, props.httpApi.api.apiEndpoint);
    props.unsubscribeSecret.grantReadCreate(sendCaseSurvey);
    const surveyDlq = new DeadLetterQueue(this, 'SendCaseSurveyDlq');
    new events.Rule(this, 'CaseResolvedToSendCaseSurvey', {
      eventBus: bus,
      description: 'Mails the satisfaction survey to the requester of a resolved case, once per resolution',
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseStatusChangedV1.detailType], detail: { data: { to: ['resolved'] } } },
      targets: [this.asyncTarget(sendCaseSurvey, surveyDlq)],
    });
    const openSurveyFollowUp = this.fn('OpenSurveyFollowUp', 'functions/surveys/open-survey-follow-up.ts').grantTable(table, 'readWrite');
    const followUpDlq = new DeadLetterQueue(this, 'OpenSurveyFollowUpDlq');
    new events.Rule(this, 'LowSurveyScoreToOpenSurveyFollowUp', {
      eventBus: bus,
      description: "Opens a follow-up task for a low satisfaction score, once per survey",
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseSurveyAnsweredV1.detailType], detail: { data: { low: [true] } } },
      targets: [this.asyncTarget(openSurveyFollowUp, followUpDlq)],
    });

    // Routing to agents (docs/service.md, "Routing to agents")
    const routeCases = this.fn('RouteCases', 'functions/cases/route-cases.ts').grantTable(table, 'readWrite');
    const routeDlq = new DeadLetterQueue(this, 'RouteCasesDlq');
    new events.Rule(this, 'CaseRoutingTriggersToRouteCases', {
      eventBus: bus,
      description: 'Routes new and requeued cases to available agents; drains the queue for an agent who has room again; requeues an absent agent\'s cases per policy; releases erased customers\' cases',
      eventPattern: { source: [EVENT_SOURCE], detailType: [caseOpenedV1.detailType, caseStatusChangedV1.detailType, agentUpdatedV1.detailType, customerErasedV1.detailType] },
      targets: [this.asyncTarget(routeCases, routeDlq)],
    });

    // SLA policies applied to cases
    // Every minute on prod and staging (an SLA alert is worth being on time), every 15 minutes on
    // dev-like stages (their idle budget, docs/cost.md); nearly always finding nothing, so untraced
    // like the marketing-due sweep (docs/decisions.md, 57).
    const slaSweepMinutes = ['prod', 'staging'].includes(this.config.stage) ? SLA_SWEEP_MINUTES.persistent : SLA_SWEEP_MINUTES.devLike;
    const raiseSlaAlerts = this.fn('RaiseSlaAlerts', 'functions/cases/raise-sla-alerts.ts', Duration.seconds(60), Tracing.PASS_THROUGH).grantTable(table, 'readWrite');
    const slaAlertsDlq = new DeadLetterQueue(this, 'RaiseSlaAlertsDlq');
    const slaSchedule = new events.Rule(this, 'SlaAlertsSchedule', {
      description: 'Raises the SLA warnings and breaches of cases whose time has come, each once, and closes resolved cases whose reopen window ended',
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

    this.functions = { sendCaseReply, receiveInboundMail, sendCaseSurvey, openSurveyFollowUp, routeCases, raiseSlaAlerts, escalateSlaAlert };
    this.deadLetterQueues = { sendCaseReply: replyDlq, receiveInboundMail: inboundDlq, sendCaseSurvey: surveyDlq, openSurveyFollowUp: followUpDlq, routeCases: routeDlq, raiseSlaAlerts: slaAlertsDlq, escalateSlaAlert: escalationDlq };
    // The survey link routes verify their tokens with the link secret.
    this.wire(this.functions, Object.values(this.deadLetterQueues), { unsubscribeSecret: props.unsubscribeSecret });
  }
}

export type ServiceFunctionName = 'sendCaseReply' | 'receiveInboundMail' | 'sendCaseSurvey' | 'openSurveyFollowUp' | 'routeCases' | 'raiseSlaAlerts' | 'escalateSlaAlert';

export interface ServiceStackProps extends DomainStackProps {
  /** Signs the survey links (and the surveys' unsubscribe links). */
  readonly unsubscribeSecret: UnsubscribeKey;
}
