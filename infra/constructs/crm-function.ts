import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, type CfnResource } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { TABLE_INDEXES } from '../../shared/keys';
import { ENV } from '../../shared/runtime-env';
import { METADATA } from '../metadata';
import type { StageConfig } from '../stage-config';

/** The repository root: entries, the lock file and esbuild's working directory are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda runtime of every function; `npm test`, `npm start` and `npm run bench` run the same major (the `node` devDependency). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;

export type TableAccess = 'read' | 'readWrite';

// Explicit actions instead of grantReadData/grantReadWriteData: no Scan (no request path or flow
// may scan the single table) and no stream actions (only the stream consumer reads the stream).
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface CrmFunctionProps {
  /** The handler module relative to the repo root, posix separators: `functions/customers/create-customer.ts`. */
  readonly entry: string;
  /** The exported handler name in that module. @default 'handler' */
  readonly handler?: string;
  readonly config: StageConfig;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  readonly description?: string;
  /**
   * Active (the default): every invocation that no caller traced starts a trace. PassThrough: only
   * invocations that come with a sampled trace are traced; for a schedule's target, none is
   * (docs/decisions.md, 57).
   */
  readonly tracing?: lambda.Tracing;
  /** @default 512 MB; more for a function that holds or parses much at once (an import's preparation). */
  readonly memorySize?: number;
}

/**
 * The one way this project builds a Lambda function: Node 22 on arm64, an ESM bundle with source
 * maps, X-Ray, a log group owned by the stack, and grants that also set the environment variable
 * the handler reads, so a permission and its configuration cannot drift apart.
 *
 * The function's CloudFormation resource carries its entry module and handler name as Metadata,
 * which is how the local runtime runs the very same handler without a second copy of the wiring.
 */
/** SDK modules only reached via dynamic import() without environment credentials (see bundling). */
export const NEVER_LOADED_IN_LAMBDA = [
  '@aws-sdk/nested-clients',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
] as const;

export class CrmFunction extends NodejsFunction {
  /** The handler module relative to the repo root, as written into the template's Metadata. */
  readonly entryPath: string;

  constructor(scope: Construct, id: string, props: CrmFunctionProps) {
    const entry = normalizeEntry(props.entry);
    const handler = props.handler ?? 'handler';
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.config.logRetention,
      removalPolicy: props.config.removalPolicy,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: writes to this log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id} (${entry})`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(REPO_ROOT, entry),
      handler,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      role,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        [ENV.stage]: props.config.stage,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // ESM output still meets CommonJS dependencies that call require().
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundle the AWS SDK too: Lambda then runs the versions pinned in package-lock.json,
        // the same ones the tests and the local runtime use, not whatever the runtime ships.
        // Except the credential providers after `fromEnv` in the default chain (SSO, profiles,
        // processes, web identity, container and instance metadata): the SDK reaches them only
        // through dynamic import() when no environment credentials exist, which never happens
        // in Lambda. Leaving them out saves ~110 KB per bundle (cold start); the cold-start
        // benchmark reports any bundle that imports one of them statically.
        externalModules: [...NEVER_LOADED_IN_LAMBDA],
      },
    });
    this.entryPath = entry;

    const resource = this.node.defaultChild as CfnResource;
    resource.addMetadata(METADATA.entry, entry);
    resource.addMetadata(METADATA.handler, handler);
  }

  /** Grants item access to the table and its indexes (never Scan) and sets TABLE_NAME. */
  grantTable(table: ITable, access: TableAccess): this {
    const indexArns = Object.values(TABLE_INDEXES).map((index) => `${table.tableArn}/index/${index.name}`);
    iam.Grant.addToPrincipal({ grantee: this, actions: TABLE_READ_ACTIONS, resourceArns: [table.tableArn, ...indexArns] });
    if (access === 'readWrite') {
      iam.Grant.addToPrincipal({ grantee: this, actions: TABLE_WRITE_ACTIONS, resourceArns: [table.tableArn] });
    }
    this.addEnvironment(ENV.tableName, table.tableName);
    return this;
  }

  /** Grants events:PutEvents on the bus and sets EVENT_BUS_NAME. */
  grantPutEvents(bus: IEventBus): this {
    bus.grantPutEventsTo(this);
    this.addEnvironment(ENV.eventBusName, bus.eventBusName);
    return this;
  }

  /**
   * Grants ses:SendEmail for this sender through this configuration set only, and sets MAIL_FROM
   * and SES_CONFIGURATION_SET. SES authorizes against whichever identity is verified, the address
   * or its domain, so both identity ARNs are listed.
   */
  grantSendEmail(configurationSet: IConfigurationSet, mailFrom: string): this {
    const stack = Stack.of(this);
    const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: mailFrom }),
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
        ],
      }),
    );
    this.addEnvironment(ENV.mailFrom, mailFrom);
    this.addEnvironment(ENV.sesConfigurationSet, configurationSet.configurationSetName);
    return this;
  }
}

function normalizeEntry(entry: string): string {
  const posix = path.posix.normalize(entry.replaceAll('\\', '/'));
  if (path.posix.isAbsolute(posix) || posix.startsWith('..')) {
    throw new Error(`CrmFunction entry must be relative to the repository root, got "${entry}"`);
  }
  return posix;
}
