import { CrossStackReferences, type Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { RouteStack } from '../../api/route';
import { CrmFunction } from '../constructs/crm-function';
import type { CrmHttpApi } from '../constructs/crm-http-api';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ASYNC_TARGET_DELIVERY, type DeadLetterQueue } from '../constructs/dead-letter-queue';
import { OpsAlarms } from '../constructs/ops-alarms';
import { createRouteFunctions, type RouteResources, type RoutedFunction } from '../constructs/route-functions';
import type { StageConfig } from '../stage-config';

export interface DomainStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly bus: IEventBus;
  readonly configurationSet: IConfigurationSet;
  /** The one HTTP API (the stateless stack's); this stack adds the routes its functions serve. */
  readonly httpApi: CrmHttpApi;
  /** Where this stack's alarms notify (the stateless stack's topic); absent when the stage has no alarms. */
  readonly alarmTopic?: ITopic;
}

/** What a domain stack offers its rows beyond table, bus and mail: see `RouteResources`. */
export type DomainRouteResources = Pick<RouteResources, 'unsubscribeSecret' | 'flows' | 'userPool' | 'replay' | 'filesBucket'>;

/**
 * A stack for one domain's functions (sales, marketing...): the functions of its rows of the route
 * table and the routes they serve on the shared HTTP API, its own functions, rules and queues, and
 * their alarms. CloudFormation allows 500 resources per stack and a routed function costs about 8,
 * so the API cannot live in one stack (docs/decisions.md, 43). Everything here is stateless: a
 * domain stack can be destroyed and redeployed without losing data.
 */
export abstract class DomainStack extends Stack {
  protected readonly config: StageConfig;
  private routed: readonly RoutedFunction[] = [];

  protected constructor(
    scope: Construct,
    id: string,
    private readonly props: DomainStackProps,
    /** The rows of the route table this stack creates: those that name it. */
    private readonly routeStack: RouteStack,
  ) {
    super(scope, id, props);
    // As in the stateless stack: CloudFormation refuses to delete what another stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.config = props.config;
  }

  /** The functions of this stack's rows of the route table (empty until `wire`). */
  get routeFunctions(): readonly RoutedFunction[] {
    return this.routed;
  }

  protected fn(fnId: string, entry: string, timeout?: Duration, tracing?: Tracing): CrmFunction {
    return new CrmFunction(this, fnId, { entry, config: this.config, timeout, tracing });
  }

  /** A rule target that parks what keeps failing in `dlq`: the rule's own delivery failures and Lambda's async retries alike. */
  protected asyncTarget(f: CrmFunction, dlq: DeadLetterQueue): targets.LambdaFunction {
    f.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlq) });
    return new targets.LambdaFunction(f, { deadLetterQueue: dlq, ...ASYNC_TARGET_DELIVERY });
  }

  /**
   * The function of each of this stack's rows with the grants its access names, its route on the
   * shared API, and an alarm per function (the rows' and `functions`) and queue. Called last, once
   * the flows the rows may start exist.
   */
  protected wire(
    functions: Readonly<Record<string, CrmFunction>>,
    deadLetterQueues: readonly DeadLetterQueue[] = [],
    resources: DomainRouteResources = {},
    /** Flows no route starts (the bus does), watched like the rest. */
    ownFlows: Readonly<Record<string, IStateMachine>> = {},
  ): void {
    const { config, table, bus, configurationSet } = this.props;
    this.routed = createRouteFunctions(this, this.routeStack, { config, table, bus, configurationSet, ...resources });
    this.props.httpApi.addRoutes(this, this.routed);
    if (!this.config.alarms) return;
    const alarms = new OpsAlarms(this, 'Alarms', { removalPolicy: this.config.removalPolicy, topic: this.props.alarmTopic });
    for (const f of [...this.routed.map((r) => r.fn), ...Object.values(functions)]) alarms.watchFunction(f, f.node.id);
    for (const q of deadLetterQueues) alarms.watchDeadLetterQueue(q, q.node.id);
    for (const [name, flow] of Object.entries({ ...resources.flows, ...ownFlows })) alarms.watchStateMachine(flow, `${name[0]!.toUpperCase()}${name.slice(1)}Flow`);
  }
}
