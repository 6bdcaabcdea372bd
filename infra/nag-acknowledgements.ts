import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { routeKey } from '../api/route';
import type { CrmStacks } from './crm-app';
import type { CrmFunction } from './constructs/crm-function';
import type { RoutedFunction } from './constructs/route-functions';
import type { CampaignStack } from './stacks/campaign-stack';
import type { MarketingStack } from './stacks/marketing-stack';
import type { DeadLetterQueue } from './constructs/dead-letter-queue';
import type { StatefulStack } from './stacks/stateful-stack';
import type { StatelessStack } from './stacks/stateless-stack';
import type { ServiceStack } from './stacks/service-stack';
import type { IntegrationsStack } from './stacks/integrations-stack';
import { sesTemplatePrefix } from '../shared/templates/email-template';
import type { StageConfig } from './stage-config';

/**
 * Every cdk-nag (AwsSolutions) finding this app accepts, each on the narrowest construct and with
 * its reason. Anything not listed here fails the infra tests (and errors fail `cdk synth`), so a
 * new finding is either fixed in the resource or argued for here, in review.
 */
export function acknowledgeNagFindings(stacks: CrmStacks, config: StageConfig): void {
  acknowledgeStateful(stacks.stateful, config);
  acknowledgeStateless(stacks.stateless, config);
  acknowledgeMarketing(stacks.marketing, config);
  acknowledgeFunctions(Object.values(stacks.marketing.functions));
  acknowledgeDeadLetterQueues(stacks.sales);
  acknowledgeFunctions(Object.values(stacks.sales.functions));
  acknowledgeCampaigns(stacks.campaigns, config);
  acknowledgeFunctions(Object.values(stacks.campaigns.functions));
  acknowledgeDeadLetterQueues(stacks.service);
  acknowledgeFunctions(Object.values(stacks.service.functions));
  acknowledgeService(stacks.service, config);
  acknowledgeDeadLetterQueues(stacks.processes);
  acknowledgeFunctions(Object.values(stacks.processes.functions));
  acknowledgeFlow(stacks.processes.approvalFlow.stateMachine, { OpenStep: stacks.processes.functions.openApprovalStep, Finish: stacks.processes.functions.finishApprovalProcess });
  acknowledgeDeadLetterQueues(stacks.integrations);
  acknowledgeFunctions(Object.values(stacks.integrations.functions));
  acknowledgeIntegrations(stacks.integrations, config);
  const { stateless, sales, marketing, campaigns, users, service, processes, integrations } = stacks;
  acknowledgeRoutes(
    [
      ...stateless.routeFunctions,
      ...sales.routeFunctions,
      ...marketing.routeFunctions,
      ...campaigns.routeFunctions,
      ...users.routeFunctions,
      ...service.routeFunctions,
      ...processes.routeFunctions,
      ...integrations.routeFunctions,
    ],
    stateless.httpApi,
    config,
  );
}

/** What the rows of the route table accept: public routes say why in their row; template writers are limited to the stage's prefix. */
function acknowledgeRoutes(routes: readonly RoutedFunction[], httpApi: StatelessStack['httpApi'], config: StageConfig): void {
  acknowledgeFunctions(routes.map((r) => r.fn));
  for (const { route, fn } of routes) {
    if (route.auth === 'none') acknowledge(httpApi.route(routeKey(route)), 'AwsSolutions-APIG4', route.publicBecause);
    if (route.access.files) acknowledgeFilesGrant(fn, config);
    if (route.access.replay && fn.role) {
      acknowledge(
        fn.role,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:replay/whr-*]',
        "Each webhook replay is named at run time (whr-<webhook>-<tenant mark>-<suffix>); the grant is events:DescribeReplay on webhook replays only, to tell whether a webhook's last replay has ended.",
      );
    }
    if (route.access.sesTemplates && fn.role) {
      acknowledge(
        fn.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${sesTemplatePrefix(config.stage)}*]`,
        "Each CRM template has an SES template named after its id, created at run time; the grant is limited to this stage's prefix (crm_<stage>_) and to CreateEmailTemplate/UpdateEmailTemplate.",
      );
    }
  }
}

/** The task sweeps' and the case reply sender's queues are dead-letter queues themselves. */
function acknowledgeDeadLetterQueues(stack: { deadLetterQueues: Readonly<Record<string, DeadLetterQueue>> }): void {
  for (const [consumer, queue] of Object.entries(stack.deadLetterQueues)) {
    acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${consumer}; it needs no DLQ of its own.`);
  }
}

/** The SES events and automation queues, and the automation senders' use of any template of the stage. */
function acknowledgeMarketing(stack: MarketingStack, config: StageConfig): void {
  acknowledge(stack.sesEventsDlq, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of RecordSesEvent; it needs no DLQ of its own.');
  for (const [consumer, queue] of Object.entries(stack.automationDlqs)) {
    acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${consumer}; it needs no DLQ of its own.`);
  }
  for (const fn of [stack.functions.dispatchAutomations, stack.functions.runDueMarketing]) {
    if (!fn.role) continue;
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${sesTemplatePrefix(config.stage)}*]`,
      "Automations send any of the tenants' templates, whose SES names are made at run time; the grant is ses:SendEmail only, on this stage's prefix (crm_<stage>_).",
    );
  }
}

/** The campaign flow's SES template copies are named per campaign at run time, under the stage's prefix. */
function acknowledgeCampaigns(stack: CampaignStack, config: StageConfig): void {
  acknowledge(stack.runRequestsDlq, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the scheduled-start rule; it needs no DLQ of its own.');
  const { startCampaignRun, freezeCampaignAudience, planCampaignBatches, continueCampaignRun, sendCampaignBatch, completeCampaign, recordCampaignFailure } = stack.functions;
  acknowledgeFlow(stack.flow.stateMachine, {
    StartCampaignRun: startCampaignRun,
    FreezeCampaignAudience: freezeCampaignAudience,
    PlanCampaignBatches: planCampaignBatches,
    ContinueCampaignRun: continueCampaignRun,
    SendCampaignBatch: sendCampaignBatch,
    CompleteCampaign: completeCampaign,
    RecordCampaignFailure: recordCampaignFailure,
  });
  for (const fn of [startCampaignRun, sendCampaignBatch, completeCampaign]) {
    if (!fn.role) continue;
    acknowledge(
      fn.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${sesTemplatePrefix(config.stage)}*]`,
      "Each campaign sends through its own SES template copy, named after the campaign at run time; the grant is limited to this stage's prefix (crm_<stage>_) and to the one action each step needs.",
    );
  }
}

function acknowledgeStateful(stack: StatefulStack, config: StageConfig): void {
  if (!config.pointInTimeRecovery) {
    acknowledge(stack.table, 'AwsSolutions-DDB3', `Stage ${config.stage} holds disposable test data only; prod and staging enable PITR.`);
  }
  acknowledge(
    stack.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (TOTP) so each tenant can enforce it through its own identity provider or policy; requiring it here would lock out federated tenants.',
  );
  acknowledge(
    stack.userPool,
    'AwsSolutions-COG8',
    'The Plus feature plan (threat protection) is billed per active user; left to a deliberate cost decision per deployment, not a default.',
  );
  acknowledge(
    stack.filesBucket,
    'AwsSolutions-S1',
    'Working files of imports and exports, written and read through presigned links and the import flow, expiring after days; the table keeps who imported and exported what. CloudTrail S3 data events cover an audit need per account.',
  );
  acknowledge(
    stack.inboundMailBucket,
    'AwsSolutions-S1',
    'Only SES writes here (its receipt rule) and only the inbound mail handler reads; access logging would add a second bucket per stage for no reader. CloudTrail S3 data events cover an audit need per account.',
  );
  acknowledge(
    stack.filesBucket,
    'AwsSolutions-S1',
    'Working files of imports and exports, gone after 7 days; every object is moved through a presigned link a function signs for one user, and the job in the table records who asked. CloudTrail S3 data events cover an audit need per account.',
  );
}

/** Imports and exports name their objects by tenant and job id at run time (shared/files/file-keys.ts). */
function acknowledgeFilesGrant(fn: CrmFunction, config: StageConfig): void {
  if (!fn.role) return;
  acknowledge(
    fn.role,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::crm-${config.stage}-files-<AWS::AccountId>-<AWS::Region>/tenants/*]`,
    "Every file's key starts with its tenant and names a job made at run time; the grant is s3:GetObject and s3:PutObject under tenants/ of the stage's files bucket only (no listing, no deletes).",
  );
}

/** Import and export functions outside the route table (routes with `files` access are acknowledged with their row); the import flow's Distributed Map. */
function acknowledgeIntegrations(stack: IntegrationsStack, config: StageConfig): void {
  const { runExport, prepareImport, writeImportChunk, completeImport, recordImportFailure } = stack.functions;
  for (const fn of [runExport, prepareImport, writeImportChunk, completeImport, recordImportFailure]) acknowledgeFilesGrant(fn, config);
  const machine = stack.importFlow.stateMachine;
  const ref = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(machine.node.defaultChild as CfnElement)}"}]}]}`;
  for (const execution of [`${ref}:*`, `${ref}/*:*`]) {
    acknowledge(
      machine.node.findChild('DistributedMapPolicy'),
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${execution}]`,
      "The Distributed Map reads and stops its own child executions (their ids are made per run); added by CDK for this state machine's executions only.",
    );
  }
  acknowledgeFlow(stack.importFlow.stateMachine, { PrepareImport: prepareImport, WriteImportChunk: writeImportChunk, CompleteImport: completeImport, RecordImportFailure: recordImportFailure });
}

/** The inbound mail handler reads any object SES stored under its prefix: the keys are SES message ids, known only at receipt. */
function acknowledgeService(stack: ServiceStack, config: StageConfig): void {
  const role = stack.functions.receiveInboundMail.role;
  if (!role) return;
  acknowledge(role, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::crm-${config.stage}-mail-<AWS::AccountId>-<AWS::Region>/raw/*]`, 'SES names each stored message by its own message id; the grant is s3:GetObject under the raw/ prefix of the inbound bucket only.');
}

/** Every function: the pinned runtime, and X-Ray's actions that take no resource. */
function acknowledgeFunctions(functions: readonly CrmFunction[], streamConsumers: readonly CrmFunction[] = []): void {
  for (const fn of functions) {
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x on purpose: the code, its tests and the local runtime target Node 22 (and 20); moving to a newer runtime is a tested upgrade, not a default.',
    );
    if (fn.role) {
      acknowledge(
        fn.role,
        'AwsSolutions-IAM5[Resource::*]',
        streamConsumers.includes(fn)
          ? 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event source) support no resource-level permissions.'
          : 'xray:PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
      );
    }
  }
}

/** A state machine's role: logging/tracing actions without resources, and each task's own function versions. */
function acknowledgeFlow(stateMachine: StateMachine, tasks: Record<string, CrmFunction>): void {
  acknowledge(
    stateMachine.role,
    'AwsSolutions-IAM5[Resource::*]',
    'CloudWatch Logs delivery (logs:*LogDelivery, PutResourcePolicy, Describe*) and X-Ray actions used by state machine logging and tracing support no resource-level permissions.',
  );
  for (const [task, fn] of Object.entries(tasks)) {
    acknowledge(
      stateMachine.role,
      `AwsSolutions-IAM5[Resource::<${logicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
      `The ${task} task may invoke qualified versions of its own function only; added by the LambdaInvoke task.`,
    );
  }
}

function acknowledgeStateless(stack: StatelessStack, config: StageConfig): void {
  acknowledgeFunctions(Object.values(stack.functions), [stack.functions.publishOutboxEvents, stack.functions.indexSearchEntries]);
  const welcomeRole = stack.functions.sendWelcomeEmail.role;
  if (welcomeRole) {
    acknowledge(
      welcomeRole,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${sesTemplatePrefix(config.stage)}*]`,
      "The welcome mail sends the template a tenant chose for it, whose SES name is made at run time; the grant is ses:SendEmail only, on this stage's prefix (crm_<stage>_).",
    );
  }

  const flows: { stateMachine: StateMachine; tasks: Record<string, CrmFunction> }[] = [
    { stateMachine: stack.welcomeFlow.stateMachine, tasks: { SendWelcomeEmail: stack.functions.sendWelcomeEmail } },
    {
      stateMachine: stack.reclaimFlow.stateMachine,
      tasks: {
        FindDueCustomers: stack.functions.findDueCustomers,
        EvaluateCustomer: stack.functions.evaluateCustomer,
        SendReclaimDigests: stack.functions.sendReclaimDigests,
      },
    },
  ];
  for (const { stateMachine, tasks } of flows) acknowledgeFlow(stateMachine, tasks);
  acknowledge(
    stack.httpApi.defaultRoute,
    'AwsSolutions-APIG4',
    'The $default route only answers 404 problem+json for requests no route matches; it reads nothing, so there is nothing to authorize.',
  );

  for (const [consumer, queue] of Object.entries(stack.deadLetterQueues)) {
    acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${consumer}; it needs no DLQ of its own.`);
  }
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function logicalId(element: CfnElement): string {
  return Stack.of(element).getLogicalId(element);
}
