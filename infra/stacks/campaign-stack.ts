import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { sesTemplatePrefix } from '../../shared/templates/email-template';
import { ENV } from '../../shared/runtime-env';
import { CampaignFlow } from '../constructs/campaign-flow';
import { campaignRunRequestedV1 } from '../../events/campaign-run-requested.v1';
import { EVENT_SOURCE } from '../../events/envelope';
import type { CrmFunction } from '../constructs/crm-function';
import { ASYNC_TARGET_DELIVERY, DeadLetterQueue } from '../constructs/dead-letter-queue';
import { DomainStack, type DomainStackProps } from './domain-stack';
import type { UnsubscribeKey } from '../constructs/unsubscribe-key';

/** The campaign flow's functions; the campaign API is rows of the route table (api/routes/campaigns.ts). */
export type CampaignFunctionName =
  | 'startCampaignRun'
  | 'freezeCampaignAudience'
  | 'planCampaignBatches'
  | 'continueCampaignRun'
  | 'sendCampaignBatch'
  | 'completeCampaign'
  | 'recordCampaignFailure';

export interface CampaignStackProps extends DomainStackProps {
  /** Signs the unsubscribe links of campaign mail (the stateful stack's). */
  readonly unsubscribeSecret: UnsubscribeKey;
}

/**
 * Campaigns (docs/marketing.md, "Campaigns"): the API that drafts, sends, pauses, resumes and
 * cancels them (the rows of api/routes/campaigns.ts; sending and resuming start the flow), and the
 * campaign flow that sends them. Its own stack: the flow and its functions would take the
 * marketing stack near CloudFormation's resource limit (docs/decisions.md, 43).
 */
export class CampaignStack extends DomainStack {
  /** The functions that are not routes. */
  readonly functions: Readonly<Record<CampaignFunctionName, CrmFunction>>;
  readonly flow: CampaignFlow;
  /** Where a scheduled start lands when the flow could not be started. */
  readonly runRequestsDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: CampaignStackProps) {
    super(scope, id, props, 'campaigns');
    const { table, config } = props;
    const templateArn = this.formatArn({ service: 'ses', resource: 'template', resourceName: `${sesTemplatePrefix(config.stage)}*` });

    const flowFn = (fnId: string, entry: string, timeout?: Duration) => {
      const f = this.fn(fnId, entry, timeout).grantTable(table, 'readWrite');
      f.addEnvironment(ENV.stage, config.stage);
      f.addEnvironment(ENV.sesMaxSendRate, String(config.sesMaxSendRate));
      return f;
    };
    // Copies the template into the campaign's own SES template; the last step deletes that copy.
    const startCampaignRun = flowFn('StartCampaignRun', 'functions/campaigns/start-campaign-run.ts');
    startCampaignRun.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:CreateEmailTemplate', 'ses:UpdateEmailTemplate'], resources: [templateArn] }));
    // Reads up to 5,000 index items and their suppression and cap items per step.
    const freezeCampaignAudience = flowFn('FreezeCampaignAudience', 'functions/campaigns/freeze-campaign-audience.ts', Duration.minutes(2));
    const planCampaignBatches = flowFn('PlanCampaignBatches', 'functions/campaigns/plan-campaign-batches.ts', Duration.seconds(30));
    planCampaignBatches.addEnvironment(ENV.campaignBatchesPerExecution, String(config.campaignBatchesPerExecution));
    // Starts the run's next execution once an execution's history budget is spent.
    const continueCampaignRun = flowFn('ContinueCampaignRun', 'functions/campaigns/continue-campaign-run.ts');
    // May wait for room in the send rate (up to SEND_SECONDS_AHEAD and a second's sleep per look).
    const sendCampaignBatch = flowFn('SendCampaignBatch', 'functions/campaigns/send-campaign-batch.ts', Duration.minutes(2));
    const identity = (name: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    sendCampaignBatch.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendBulkEmail'],
        resources: [
          identity(config.mailFrom),
          identity(config.mailFrom.slice(config.mailFrom.lastIndexOf('@') + 1)),
          this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.configurationSet.configurationSetName }),
          templateArn,
        ],
      }),
    );
    sendCampaignBatch.addEnvironment(ENV.mailFrom, config.mailFrom);
    sendCampaignBatch.addEnvironment(ENV.sesConfigurationSet, props.configurationSet.configurationSetName);
    sendCampaignBatch.addEnvironment(ENV.apiBaseUrl, props.httpApi.api.apiEndpoint);
    props.unsubscribeSecret.grantReadCreate(sendCampaignBatch);
    const completeCampaign = flowFn('CompleteCampaign', 'functions/campaigns/complete-campaign.ts');
    completeCampaign.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:DeleteEmailTemplate'], resources: [templateArn] }));
    const recordCampaignFailure = flowFn('RecordCampaignFailure', 'functions/campaigns/record-campaign-failure.ts');

    this.flow = new CampaignFlow(this, 'CampaignFlow', {
      config,
      startRun: startCampaignRun,
      freezeAudience: freezeCampaignAudience,
      planBatches: planCampaignBatches,
      continueRun: continueCampaignRun,
      sendBatch: sendCampaignBatch,
      complete: completeCampaign,
      recordFailure: recordCampaignFailure,
    });
    continueCampaignRun.addEnvironment(ENV.campaignFlowArn, this.flow.stateMachineArn);
    this.flow.grantStart(continueCampaignRun);
    // Scheduled starts: the marketing-due sweep commits the run with crm.campaign.run-requested.v1,
    // whose data is exactly the flow's input.
    this.runRequestsDlq = new DeadLetterQueue(this, 'CampaignRunRequestsDlq');
    new events.Rule(this, 'CampaignRunRequestedToCampaignFlow', {
      eventBus: props.bus,
      description: 'Starts the campaign flow for a scheduled campaign that fell due',
      eventPattern: { source: [EVENT_SOURCE], detailType: [campaignRunRequestedV1.detailType] },
      targets: [
        new targets.SfnStateMachine(this.flow.stateMachine, {
          input: events.RuleTargetInput.fromEventPath('$.detail.data'),
          deadLetterQueue: this.runRequestsDlq,
          ...ASYNC_TARGET_DELIVERY,
        }),
      ],
    });

    this.functions = { startCampaignRun, freezeCampaignAudience, planCampaignBatches, continueCampaignRun, sendCampaignBatch, completeCampaign, recordCampaignFailure };
    // After the flow: rows with `startFlow: 'campaign'` (send, resume) are granted its start.
    this.wire(this.functions, [this.runRequestsDlq], { unsubscribeSecret: props.unsubscribeSecret, flows: { campaign: this.flow.stateMachine } });
  }
}
