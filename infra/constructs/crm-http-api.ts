import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiRoute, HttpFunctionKey } from '../../api/routes';
import type { StageConfig } from '../stage-config';

export interface CrmHttpApiProps {
  readonly config: StageConfig;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly routes: readonly ApiRoute[];
  /** The functions of this stack; routes served by other stacks' functions are added there (`addRoutes`). */
  readonly handlers: RouteHandlers;
}

export type RouteHandlers = Readonly<Partial<Record<HttpFunctionKey, IFunction>>>;

// One JSON line per request; enough to trace a request id to its Lambda logs and see why it failed.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * The HTTP API: Cognito JWT on every route unless the route table says otherwise, payload
 * format 2.0, stage throttling and JSON access logs.
 */
export class CrmHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  private readonly routesByKey = new Map<string, apigw.HttpRoute>();
  private readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: CrmHttpApiProps) {
    super(scope, id);
    const { config } = props;

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    this.authorizer = authorizer;

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `crm-${config.stage}`,
      // Secure by default: a route added without an explicit authorizer still requires a token.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
        // Optimistic concurrency: clients read the ETag and send it back in If-Match.
        exposeHeaders: ['ETag', 'Location'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    this.addRoutes(this, props.routes, props.handlers);
  }

  /**
   * The routes of `routes` whose function is among `handlers`, created in `scope`: a domain stack
   * passes itself, so the route, its integration and the invoke permission live next to the
   * function and only the API's and authorizer's ids cross stacks (docs/decisions.md, 43).
   */
  addRoutes(scope: Construct, routes: readonly ApiRoute[], handlers: RouteHandlers): void {
    const integrations = new Map<HttpFunctionKey, HttpLambdaIntegration>();
    const integrationFor = (key: HttpFunctionKey, handler: IFunction) => {
      let integration = integrations.get(key);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${key}Integration`, handler, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
        integrations.set(key, integration);
      }
      return integration;
    };
    for (const route of routes) {
      const handler = handlers[route.functionKey];
      if (!handler) continue;
      const routeKey = `${route.method} ${route.path}`;
      if (this.routesByKey.has(routeKey)) throw new Error(`Route ${routeKey} is wired twice`);
      const authorizer = route.auth === 'jwt' ? this.authorizer : new apigw.HttpNoneAuthorizer();
      const httpRoute =
        scope === this
          ? this.api.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration: integrationFor(route.functionKey, handler), authorizer })[0]!
          : new apigw.HttpRoute(scope, `${route.method}${route.path}`, {
              httpApi: this.api,
              routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
              integration: integrationFor(route.functionKey, handler),
              authorizer,
            });
      this.routesByKey.set(routeKey, httpRoute);
    }
  }

  /** Every route of the table has a function in some stack: a route nobody serves fails the synth. */
  assertEveryRouteWired(routes: readonly ApiRoute[]): void {
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !this.routesByKey.has(key));
    if (missing.length > 0) throw new Error(`Routes without a function in any stack: ${missing.join(', ')}`);
  }

  /** The route for a key such as `GET /health`. */
  route(routeKey: string): apigw.HttpRoute {
    const route = this.routesByKey.get(routeKey);
    if (!route) throw new Error(`No route ${routeKey} in the HTTP API`);
    return route;
  }

  get url(): string {
    return this.stage.url;
  }
}
