import { METADATA } from '../infra/metadata';
import { type ResolverOptions, type StackTemplate, TemplateResolver } from './template-resolver';

/** What the local runtime runs, read from the synthesized templates (never written by hand). */
export interface LocalFunction {
  name: string;
  arn: string;
  entry: string;
  handler: string;
  environment: Record<string, string>;
}

/** API Gateway's catch-all route key: a LocalRoute with this path serves what no other route matches. */
export const DEFAULT_ROUTE_KEY = '$default';

export interface LocalRoute {
  method: string;
  /** As API Gateway writes it (`/customers/{id}`), or DEFAULT_ROUTE_KEY. */
  path: string;
  functionName: string;
  authorization: 'JWT' | 'NONE';
}

export type RuleTarget =
  | { kind: 'lambda'; id: string; functionName: string; input?: unknown; inputPath?: string; retryAttempts: number; hasDlq: boolean }
  | { kind: 'state-machine'; id: string; stateMachineArn: string; input?: unknown; inputPath?: string; retryAttempts: number; hasDlq: boolean };

export interface LocalRule {
  logicalId: string;
  eventBusName: string;
  eventPattern?: unknown;
  scheduleExpression?: string;
  scheduleName?: string;
  enabled: boolean;
  targets: RuleTarget[];
}

export interface LocalStateMachine {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
  /** Runs again from its input after a restart of the runtime while it waited on a task token. */
  resumable?: boolean;
}

export interface LocalStreamMapping {
  functionName: string;
  tableName: string;
  batchSize: number;
  filterPatterns: unknown[];
  retryAttempts: number;
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

/** An SES receipt rule: mail to `recipients` (addresses or whole domains) is stored in S3, then handed to a function. */
export interface LocalReceiptRule {
  name: string;
  recipients: string[];
  s3?: { bucket: string; prefix: string };
  functionName?: string;
}

export interface LocalTable {
  tableName: string;
  properties: Record<string, unknown>;
}

export interface LocalWiring {
  functions: Map<string, LocalFunction>;
  routes: LocalRoute[];
  rules: LocalRule[];
  stateMachines: LocalStateMachine[];
  streamMappings: LocalStreamMapping[];
  tables: LocalTable[];
  eventBuses: string[];
  receiptRules: LocalReceiptRule[];
  cors?: Record<string, unknown>;
}

export function readWiring(stacks: StackTemplate[], options: ResolverOptions = {}): LocalWiring {
  const r = new TemplateResolver(stacks, options);
  const props = (located: { stack: StackTemplate; resource: { Properties?: Record<string, unknown> } }) =>
    r.resolve(located.stack, located.resource.Properties ?? {}) as Record<string, unknown>;

  const functions = new Map<string, LocalFunction>();
  for (const fn of r.resources('AWS::Lambda::Function')) {
    const entry = fn.resource.Metadata?.[METADATA.entry];
    if (typeof entry !== 'string') continue; // CDK's own helper functions (custom resources) do not run locally
    const p = props(fn);
    const name = String(r.ref(fn.stack, fn.logicalId));
    const env = ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    functions.set(name, {
      name,
      arn: String(r.getAtt(fn.stack, fn.logicalId, 'Arn')),
      entry,
      handler: String(fn.resource.Metadata?.[METADATA.handler] ?? 'handler'),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    });
  }
  const functionByArn = (arn: unknown) => [...functions.values()].find((f) => f.arn === arn || f.name === arn);

  const integrations = new Map<string, string>();
  for (const integration of r.resources('AWS::ApiGatewayV2::Integration')) {
    const fn = functionByArn(props(integration).IntegrationUri);
    if (fn) integrations.set(integration.logicalId, fn.name);
  }
  const routes: LocalRoute[] = [];
  for (const route of r.resources('AWS::ApiGatewayV2::Route')) {
    const p = props(route);
    // `$default` (no method, no path) takes what no other route matches (local/http-api.ts).
    const [method, path] = p.RouteKey === DEFAULT_ROUTE_KEY ? ['ANY', DEFAULT_ROUTE_KEY] : (String(p.RouteKey).split(' ') as [string, string]);
    const integrationId = String(p.Target ?? '').replace(/^integrations\//, '');
    const functionName = integrations.get(integrationId);
    if (!functionName) continue;
    routes.push({ method, path, functionName, authorization: p.AuthorizationType === 'JWT' ? 'JWT' : 'NONE' });
  }
  const api = r.resources('AWS::ApiGatewayV2::Api')[0];

  const rules: LocalRule[] = r.resources('AWS::Events::Rule').map((rule) => {
    const p = props(rule);
    const targets = ((p.Targets as Record<string, unknown>[] | undefined) ?? []).flatMap((t): RuleTarget[] => {
      const common = {
        id: String(t.Id),
        input: t.Input === undefined ? undefined : JSON.parse(String(t.Input)),
        inputPath: t.InputPath === undefined ? undefined : String(t.InputPath),
        retryAttempts: Number((t.RetryPolicy as { MaximumRetryAttempts?: number } | undefined)?.MaximumRetryAttempts ?? 185),
        hasDlq: Boolean(t.DeadLetterConfig),
      };
      const arn = String(t.Arn);
      if (arn.includes(':states:')) return [{ kind: 'state-machine', stateMachineArn: arn, ...common }];
      const fn = functionByArn(arn);
      return fn ? [{ kind: 'lambda', functionName: fn.name, ...common }] : [];
    });
    return {
      logicalId: rule.logicalId,
      eventBusName: String(p.EventBusName ?? 'default').split('/').pop()!,
      eventPattern: p.EventPattern,
      scheduleExpression: p.ScheduleExpression === undefined ? undefined : String(p.ScheduleExpression),
      scheduleName: rule.resource.Metadata?.[METADATA.schedule] as string | undefined,
      enabled: p.State !== 'DISABLED',
      targets,
    };
  });

  const stateMachines = r.resources('AWS::StepFunctions::StateMachine').map((sm) => {
    const p = props(sm);
    const definition = (p.DefinitionString ? JSON.parse(String(p.DefinitionString)) : p.Definition) as Record<string, unknown>;
    return {
      arn: String(r.ref(sm.stack, sm.logicalId)),
      name: String(sm.resource.Metadata?.[METADATA.flow] ?? sm.logicalId),
      definition,
      resumable: sm.resource.Metadata?.[METADATA.resumable] === true,
    };
  });

  const tables = r.resources('AWS::DynamoDB::Table').map((t) => ({ tableName: String(r.ref(t.stack, t.logicalId)), properties: props(t) }));

  const streamMappings: LocalStreamMapping[] = r.resources('AWS::Lambda::EventSourceMapping').flatMap((m) => {
    const p = props(m);
    const fn = functionByArn(p.FunctionName);
    const source = String(p.EventSourceArn ?? '');
    const table = tables.find((t) => source.includes(`table/${t.tableName}/stream`));
    if (!fn || !table) return [];
    const filters = ((p.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? []).map((f) => JSON.parse(f.Pattern));
    return [
      {
        functionName: fn.name,
        tableName: table.tableName,
        batchSize: Number(p.BatchSize ?? 100),
        filterPatterns: filters,
        retryAttempts: Number(p.MaximumRetryAttempts ?? 10),
        bisectBatchOnError: Boolean(p.BisectBatchOnFunctionError),
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
        startingPosition: p.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
      },
    ];
  });

  const eventBuses = r.resources('AWS::Events::EventBus').map((b) => String(r.ref(b.stack, b.logicalId)));

  const receiptRules: LocalReceiptRule[] = r.resources('AWS::SES::ReceiptRule').map((rule) => {
    const p = (props(rule).Rule ?? {}) as { Name?: string; Recipients?: string[]; Actions?: Record<string, Record<string, unknown>>[] };
    const actions = p.Actions ?? [];
    const s3 = actions.find((a) => a.S3Action)?.S3Action;
    const lambda = actions.find((a) => a.LambdaAction)?.LambdaAction;
    return {
      name: String(p.Name ?? rule.logicalId),
      recipients: (p.Recipients ?? []).map((x) => String(x).toLowerCase()),
      s3: s3 ? { bucket: String(s3.BucketName), prefix: String(s3.ObjectKeyPrefix ?? '') } : undefined,
      functionName: lambda ? functionByArn(lambda.FunctionArn)?.name : undefined,
    };
  });

  return {
    functions,
    routes,
    rules,
    stateMachines,
    streamMappings,
    tables,
    eventBuses,
    receiptRules,
    cors: api ? (props(api).CorsConfiguration as Record<string, unknown> | undefined) : undefined,
  };
}
