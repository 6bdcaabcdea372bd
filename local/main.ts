import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demoTokens, DEMO_TENANT, seedDemoTenant } from './demo-tenant';
import { ROOT_DIR, startLocalRuntime } from './runtime';

/**
 * `npm start`: the whole CRM on this machine. Flags: --memory (throwaway data), --seed (demo
 * tenant), --port N (or PORT; 0 = any free port), --json (one machine-readable ready line, for
 * test harnesses), --count-requests (count DynamoDB requests per operation at
 * GET /_local/dynamodb-requests). Data lives in CRM_DATA_DIR, default .crm/.
 */
const { values } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    seed: { type: 'boolean', default: false },
    port: { type: 'string' },
    json: { type: 'boolean', default: false },
    'count-requests': { type: 'boolean', default: false },
  },
});

const started = Date.now();
const port = Number(values.port ?? process.env.PORT ?? 3000);
const dataDir = values.memory ? undefined : resolve(process.env.CRM_DATA_DIR ?? resolve(ROOT_DIR, '.crm'));

let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
try {
  runtime = await startLocalRuntime({ port, dataDir, countRequests: values['count-requests'] });
} catch (error) {
  console.error(`[local] could not start: ${(error as Error).message}`);
  process.exit(1);
}

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  if (!values.json) console.log(`\n[local] ${signal}: stopping...`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const seeded = values.seed ? await seedDemoTenant(runtime.apiUrl, runtime.tokens) : undefined;
if (seeded) await runtime.settle();

if (values.json) {
  console.log(JSON.stringify({ ready: true, apiUrl: runtime.apiUrl, mailUrl: runtime.mailUrl, sesEndpoint: runtime.sesEndpoint, dynamoDbEndpoint: runtime.dynamoDbEndpoint, tableName: runtime.tableName }));
} else {
  const tokens = await demoTokens(runtime.tokens);
  console.log(
    [
      '',
      `Serverless CRM running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  API          ${runtime.apiUrl}        (try: curl ${runtime.apiUrl}/health)`,
      `  Mail viewer  ${runtime.mailUrl}/        (or GET ${runtime.apiUrl}/_local/emails)`,
      `  DynamoDB     ${runtime.dynamoDbEndpoint}  table ${runtime.tableName}`,
      `  Data         ${dataDir ?? 'in memory (--memory): gone on exit'}`,
      seeded ? `  Seeded       tenant "${DEMO_TENANT}": ${seeded.created} customers created, ${seeded.existing} already there` : '',
      '',
      `Tokens for tenant "${DEMO_TENANT}" (valid 12 h; more: POST /_local/tokens {"sub","tenantId","groups"}):`,
      ...tokens.map((t) => `  ${t.groups.join(',').padEnd(9)} ${t.sub.padEnd(12)} ${t.token}`),
      '',
      `Example: curl -H "authorization: Bearer $TOKEN" ${runtime.apiUrl}/customers/<id>`,
      'Ctrl-C stops everything.',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );
}
