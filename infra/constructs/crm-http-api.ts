import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ApiRoute, routeKey } from '../../api/route';
import type { StageConfig } from '../stage-config';
import type { RoutedFunction } from './route-functions';

export interface CrmHttpApiProps {
  readonly config: StageConfig;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The routes of this stack's functions; other stacks add theirs (`addRoutes`). */
  readonly routes: readonly RoutedFunction[];
}

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
    // The Lambda invocation's request id: joins an access-log line to the function's log lines.
    integrationRequestId: '$context.integration.requestId',
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
  private fallback?: apigw.HttpRoute;

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
      corsPreflight: config.corsOrigins.length
        ? {
            allowOrigins: [...config.corsOrigins],
            allowMethods: [apigw.CorsHttpMethod.ANY],
            allowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
            // Optimistic concurrency: clients read the ETag and send it back in If-Match.
            exposeHeaders: ['ETag', 'Location', 'Retry-After'],
            maxAge: Duration.hours(1),
          }
        : undefined,
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

    this.addRoutes(this, props.routes);
  }

  /**
   * A route per row to its function, with the row's authorizer, created in `scope`: a domain stack
   * passes itself, so the route, its integration and the invoke permission live next to the
   * function and only the API's and authorizer's ids cross stacks (docs/decisions.md, 43).
   */
  addRoutes(scope: Construct, routes: readonly RoutedFunction[]): void {
    for (const { route, fn } of routes) {
      const key = routeKey(route);
      if (this.routesByKey.has(key)) throw new Error(`Route ${key} is wired twice`);
      const integration = new HttpLambdaIntegration(`${route.functionId}Integration`, fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
      const authorizer = route.auth === 'jwt' ? this.authorizer : new apigw.HttpNoneAuthorizer();
      const httpRoute =
        scope === this
          ? this.api.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration, authorizer })[0]!
          : new apigw.HttpRoute(scope, `${route.method}${route.path}`, {
              httpApi: this.api,
              routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
              integration,
              authorizer,
            });
      this.routesByKey.set(key, httpRoute);
    }
  }

  /**
   * `$default`: every request no route matches (an unknown path, or a method a path does not take)
   * goes to `fn`, without authorization, so it answers 404 problem+json like the rest of the API
   * instead of API Gateway's bare `{"message":"Not Found"}`. CORS preflights are still answered by
   * API Gateway itself, which does so whenever CORS is configured.
   */
  addDefaultRoute(fn: IFunction): apigw.HttpRoute {
    if (this.fallback) throw new Error('The $default route is wired twice');
    const integration = new HttpLambdaIntegration('RouteNotFoundIntegration', fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
    this.fallback = new apigw.HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration,
      authorizer: new apigw.HttpNoneAuthorizer(),
    });
    return this.fallback;
  }

  /** The `$default` route (`addDefaultRoute`). */
  get defaultRoute(): apigw.HttpRoute {
    if (!this.fallback) throw new Error('The HTTP API has no $default route');
    return this.fallback;
  }

  /** Every row of the table has its route: a row that no stack created fails the synth. */
  assertEveryRouteWired(routes: readonly ApiRoute[]): void {
    const missing = routes.map(routeKey).filter((key) => !this.routesByKey.has(key));
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
