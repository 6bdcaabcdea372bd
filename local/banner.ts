import { DEMO_TENANT, type SeedSummary } from './demo-tenant';

export interface BannerInfo {
  apiUrl: string;
  mailUrl: string;
  dynamoDbEndpoint: string;
  tableName: string;
  /** Undefined: in memory (--memory). */
  dataDir?: string;
  readySeconds: number;
  /** Undefined: --no-schedules. */
  schedules?: { name: string; expression: string }[];
  seeded?: SeedSummary;
  tokens: { groups: readonly string[]; sub: string; token: string }[];
}

/** What `npm start` prints once the stack is ready: every URL a newcomer needs, then the tokens. */
export function startBanner(info: BannerInfo): string {
  const { apiUrl } = info;
  return [
    `Serverless CRM running locally (ready in ${info.readySeconds.toFixed(1)} s)`,
    `  API          ${apiUrl}        (try: curl ${apiUrl}/health)`,
    `  API docs     ${apiUrl}/docs   (the OpenAPI document: ${apiUrl}/openapi.json)`,
    `  Mail viewer  ${info.mailUrl}/        (or GET ${apiUrl}/_local/emails)`,
    `  DynamoDB     ${info.dynamoDbEndpoint}  table ${info.tableName}`,
    `  Data         ${info.dataDir ?? 'in memory (--memory): gone on exit'}`,
    info.schedules
      ? `  Schedules    fire by themselves on the runtime's clock: ${info.schedules.map((s) => `${s.name} ${s.expression}`).join(', ')}`
      : '  Schedules    off (--no-schedules): POST /_local/schedules/{name}/run',
    ...(info.seeded ? [`  Seeded       tenant "${DEMO_TENANT}": ${seededLine(info.seeded)}`] : []),
    '',
    `Tokens for tenant "${DEMO_TENANT}" (valid 12 h; more: POST /_local/tokens {"sub","tenantId","groups"}):`,
    ...info.tokens.map((t) => `  ${t.groups.join(',').padEnd(9)} ${t.sub.padEnd(12)} ${t.token}`),
    '',
    `Example: curl -H "authorization: Bearer $TOKEN" ${apiUrl}/customers/<id>`,
    'Ctrl-C stops everything.',
  ].join('\n');
}

function seededLine(seeded: SeedSummary): string {
  if (!seeded.made) return `${seeded.created} customers created, ${seeded.existing} already there`;
  const m = seeded.made;
  return `${seeded.created} customers, ${m.users} users, ${m.pools} pools, ${m.deals} deals, ${m.leads} leads, ${m.tasks} tasks and their first-contact calls, ${m.campaigns} campaign`;
}
