import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { INBOUND_OBJECT_PREFIX } from '../../shared/cases/ses-receipt';
import { FILES_KEPT_DAYS } from '../../shared/files/file-keys';
import { TABLE_INDEXES, TTL_ATTRIBUTE } from '../../shared/keys';
import type { StageConfig } from '../stage-config';

/** The roles a CRM user can hold; the API reads them from the token's `cognito:groups`. */
export const USER_GROUPS = ['admin', 'manager', 'rep', 'marketer', 'agent'] as const;

/**
 * The inbound mail bucket's name, made of the stage, account and region (unique, at most 57
 * characters), so the service stack names it without a cross-stack export: its grant then reads as
 * a plain ARN and the stateful stack never waits on the service stack to change it.
 */
export const inboundMailBucketName = (stage: string) => `crm-${stage}-mail-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/** The files bucket's name (imports and exports, docs/integrations.md), made like the inbound mail bucket's for the same reason. */
export const filesBucketName = (stage: string) => `crm-${stage}-files-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds data or identity. Kept apart from the functions, API and flows so that
 * redeploying (or destroying) the stateless stack can never replace or drop any of it.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  /** The bus's archive, where the stage keeps one (every stage does: webhook replays read it). */
  readonly eventArchive?: events.Archive;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly configurationSet: ses.ConfigurationSet;
  /** Raw mail SES received for cases (docs/service.md, "Inbound mail"): the message and its attachments as they came. */
  readonly inboundMailBucket: s3.Bucket;
  /** CSV uploads of imports, their error reports, and exports: bytes a browser moves through presigned links. */
  readonly filesBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Both images: the outbox publisher needs the new one, audit consumers the old one.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    for (const index of Object.values(TABLE_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.pk, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sk, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.bus = new events.EventBus(this, 'EventBus', { eventBusName: `crm-${config.stage}` });
    if (config.eventArchiveRetention) {
      // Lets operators replay domain events after a consumer bug is fixed, and webhooks replay a time range.
      this.eventArchive = this.bus.archive('EventArchive', {
        description: `Domain events of crm-${config.stage}, kept for replay`,
        eventPattern: { account: [this.account] },
        retention: config.eventArchiveRetention,
      });
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `crm-${config.stage}`,
      // Users are invited into a tenant by its admin; nobody may pick their own tenant.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      customAttributes: {
        tenantId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        // The sales team a rep sells in or a manager leads; admins move people between teams.
        teamId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    for (const group of USER_GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      // Tenant and team are readable in tokens but never writable by the user they belong to.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('tenantId', 'teamId'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    this.configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      configurationSetName: `crm-${config.stage}`,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Send, delivery, bounce, complaint, open and click events come back as `aws.ses` events
    // (sends only feed the MailsSent metric, docs/operations.md). SES
    // publishes only to the account's default bus, so the consuming rule lives there
    // (infra/stacks/marketing-stack.ts), not on the CRM bus.
    this.configurationSet.addEventDestination('SesEventsToEventBridge', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.SEND, ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.OPEN, ses.EmailSendingEvent.CLICK],
    });

    this.inboundMailBucket = new s3.Bucket(this, 'InboundMail', {
      bucketName: inboundMailBucketName(config.stage),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Received mail is kept as long as cases are worked; erasure deletes a customer's messages from the table.
      lifecycleRules: [{ expiration: Duration.days(config.removalPolicy === RemovalPolicy.RETAIN ? 730 : 30) }],
      removalPolicy: config.removalPolicy,
      // A dev-like stage must tear down without leftovers: empty the bucket on delete.
      autoDeleteObjects: config.removalPolicy !== RemovalPolicy.RETAIN,
    });

    // SES stores received mail here (the service stack's receipt rule), only from this account.
    this.inboundMailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.inboundMailBucket.arnForObjects(`${INBOUND_OBJECT_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    this.filesBucket = new s3.Bucket(this, 'Files', {
      bucketName: filesBucketName(config.stage),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Uploads, chunks, reports and exports are working files: the table keeps the import's counts.
      lifecycleRules: [{ expiration: Duration.days(FILES_KEPT_DAYS) }, { abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // The console uploads and downloads with presigned links, from its own origin.
      cors: config.corsOrigins.length
        ? [{ allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET], allowedOrigins: [...config.corsOrigins], allowedHeaders: ['content-type'], maxAge: 3000 }]
        : undefined,
      removalPolicy: config.removalPolicy,
      autoDeleteObjects: config.removalPolicy !== RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'InboundMailBucketName', { value: this.inboundMailBucket.bucketName });
    new CfnOutput(this, 'FilesBucketName', { value: this.filesBucket.bucketName });
  }
}
