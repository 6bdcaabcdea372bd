import { CrossStackReferences, type Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { API_ROUTES } from '../../api/routes';
import { CrmFunction } from '../constructs/crm-function';
import type { CrmHttpApi, RouteHandlers } from '../constructs/crm-http-api';
import type { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { OpsAlarms } from '../constructs/ops-alarms';
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

/**
 * A stack for one domain's functions (sales, marketing...): its functions, the routes they serve
 * on the shared HTTP API, its rules and queues, and their alarms. CloudFormation allows 500
 * resources per stack and a routed function costs about 8, so the API cannot live in one stack
 * (docs/decisions.md, 43). Everything here is stateless: a domain stack can be destroyed and
 * redeployed without losing data.
 */
export abstract class DomainStack extends Stack {
  protected readonly config: StageConfig;

  protected constructor(
    scope: Construct,
    id: string,
    private readonly props: DomainStackProps,
  ) {
    super(scope, id, props);
    // As in the stateless stack: CloudFormation refuses to delete what another stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.config = props.config;
  }

  protected fn(fnId: string, entry: string, timeout?: Duration): CrmFunction {
    return new CrmFunction(this, fnId, { entry, config: this.config, timeout });
  }

  /** The routes of these functions on the shared API, and an alarm per function and queue. */
  protected wire(functions: Readonly<Record<string, CrmFunction>>, handlers: RouteHandlers, deadLetterQueues: readonly DeadLetterQueue[] = []): void {
    this.props.httpApi.addRoutes(this, API_ROUTES, handlers);
    if (!this.config.alarms) return;
    const alarms = new OpsAlarms(this, 'Alarms', { removalPolicy: this.config.removalPolicy, topic: this.props.alarmTopic });
    for (const f of Object.values(functions)) alarms.watchFunction(f, f.node.id);
    for (const q of deadLetterQueues) alarms.watchDeadLetterQueue(q, q.node.id);
  }
}
