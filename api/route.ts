import type { RouteDescription } from './route-docs';

/**
 * A route of the HTTP API is one row: its method and path, who may call it, the handler that
 * serves it, what that handler may touch, the stack that deploys it and its documentation. The
 * stacks create the function, its grants, the route and its alarm from the row (infra/), the
 * OpenAPI document is built from the rows (openapi.ts), and the infra tests check the synthesized
 * templates against them. The rows live in `routes/<area>.ts`, joined by `route-table.ts`.
 *
 * Nothing here may import the CDK: the `/openapi.json` function bundles the table.
 */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The shared/ and functions/ areas that serve routes; `api` is health and this description. */
export type RouteArea =
  | 'api'
  | 'activities'
  | 'agents'
  | 'allocation'
  | 'approvals'
  | 'automations'
  | 'cases'
  | 'campaigns'
  | 'consent'
  | 'contacts'
  | 'contracts'
  | 'custom-fields'
  | 'customers'
  | 'deals'
  | 'exports'
  | 'forms'
  | 'imports'
  | 'leads'
  | 'orders'
  | 'pipelines'
  | 'pools'
  | 'privacy'
  | 'products'
  | 'quotes'
  | 'search'
  | 'segments'
  | 'surveys'
  | 'tasks'
  | 'templates'
  | 'users'
  | 'webhooks';

/** The stacks that hold routed functions (keys of `CrmStacks`, infra/crm-app.ts); each creates exactly its rows. */
export type RouteStack = 'stateless' | 'sales' | 'marketing' | 'campaigns' | 'users' | 'service' | 'processes' | 'integrations';

/** State machines a route may start; the stack that holds the row provides the flow. */
export type RouteFlow = 'campaign' | 'import';

/**
 * What the route's function may touch, and nothing else: each entry is one grant, and the grant
 * sets the environment variable the handler reads (infra/constructs/route-functions.ts).
 */
export interface RouteAccess {
  /** Item access to the table and its indexes, never Scan; TABLE_NAME. */
  readonly table?: 'read' | 'readWrite';
  /** events:PutEvents on the CRM bus; EVENT_BUS_NAME. */
  readonly bus?: 'put';
  /** ses:SendEmail as the stage's sender through its configuration set; MAIL_FROM, SES_CONFIGURATION_SET. */
  readonly mail?: 'send';
  /** ses:CreateEmailTemplate and UpdateEmailTemplate on the stage's SES templates (`crm_<stage>_*`). */
  readonly sesTemplates?: 'write';
  /** Reads (and on first use creates) the secret that signs unsubscribe links; its item in the table (decision 56). */
  readonly unsubscribeSecret?: 'read';
  /** cognito-idp:Admin* user management on the stage's user pool (invite, groups, attributes, disable); USER_POOL_ID. */
  readonly userPool?: 'admin';
  /** states:StartExecution of the named flow; its ARN (CAMPAIGN_FLOW_ARN). */
  readonly startFlow?: RouteFlow;
  /** events:StartReplay from the stage's event archive to the webhook dispatcher's rule, events:DescribeReplay of webhook replays; EVENT_ARCHIVE_ARN, EVENT_BUS_ARN, WEBHOOK_REPLAY_RULE_ARN. */
  readonly replay?: 'webhooks';
  /** Object reads, writes and presigned links in the files bucket (imports, exports); FILES_BUCKET. */
  readonly files?: 'readWrite';
}

interface RouteCommon<A extends RouteArea> {
  readonly method: RouteMethod;
  /** As API Gateway writes it: `/customers/{id}`. */
  readonly path: string;
  /** The Lambda entry point, relative to the repository root, in the row's area. */
  readonly handler: `functions/${A}/${string}.ts`;
  /**
   * The function's construct id (hence its logical id, and the local runtime's function name) and,
   * lower-cased first, the OpenAPI operation id. Derived from the handler's file name
   * (`get-customer-360.ts` -> `GetCustomer360`) unless stated.
   */
  readonly functionId?: string;
  /** Seconds; 10 unless stated. API Gateway gives up after 30. */
  readonly timeoutSeconds?: number;
  readonly access: RouteAccess;
  readonly doc: RouteDescription;
}

/** `jwt`: API Gateway's Cognito JWT authorizer. A public route says why it is public (cdk-nag APIG4 takes the reason). */
export type RouteAuthSpec = { readonly auth: 'jwt' } | { readonly auth: 'none'; readonly publicBecause: string };
export type RouteAuth = RouteAuthSpec['auth'];

/** A row as an area module writes it. */
export type AreaRoute<A extends RouteArea> = RouteCommon<A> & RouteAuthSpec;

/** A row of the route table: as written, with its area, its stack and its function id. */
export type ApiRoute = RouteCommon<RouteArea> &
  RouteAuthSpec & {
    readonly area: RouteArea;
    readonly stack: RouteStack;
    readonly functionId: string;
  };

/** `METHOD /path`, as API Gateway writes route keys. */
export type RouteKey = `${RouteMethod} /${string}`;

export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>): RouteKey => `${route.method} ${route.path}` as RouteKey;

/** `functions/customers/get-customer-360.ts` -> `GetCustomer360`. */
export function functionIdOf(handler: string): string {
  const file = handler.slice(handler.lastIndexOf('/') + 1).replace(/\.ts$/, '');
  return file
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * An area's rows, stamped with the area and the stack that deploys them. The handler's type keeps
 * it under `functions/<area>/`, so a row cannot name another area's handler.
 */
export function areaRoutes<A extends RouteArea>(area: A, stack: RouteStack, rows: readonly AreaRoute<A>[]): readonly ApiRoute[] {
  return rows.map((row) => ({ ...row, area, stack, functionId: row.functionId ?? functionIdOf(row.handler) }));
}
