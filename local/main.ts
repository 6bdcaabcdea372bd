import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBanner } from './banner';
import { LARGE_SEED, progressBar, seedLargeTenant } from './demo-large';
import { demoTokens, seedDemoTenant } from './demo-tenant';
import { ROOT_DIR, startLocalRuntime } from './runtime';

/**
 * `npm start`: the whole CRM on this machine. Flags: --memory (throwaway data), --seed (demo
 * tenant; --seed=large adds 10,000 customers, 2,000 deals and 5,000 leads), --port N (or PORT; 0 = any free port), --json (machine-readable lines for test
 * harnesses: `listening` once the port is bound, `ready` once up), --count-requests (count DynamoDB requests per operation at
 * GET /_local/dynamodb-requests), --no-schedules (scheduled rules run only on
 * POST /_local/schedules/{name}/run, for tests), --context key=value (repeatable: the CDK context of
 * `cdk synth -c`, such as campaignBatchesPerExecution=1000). Data lives in CRM_DATA_DIR, default .crm/.
 */
// `--seed=large` is `--seed` and the large seed: parseArgs has no flag that also takes a value.
const args = process.argv.slice(2).flatMap((arg) => (arg === '--seed=large' ? ['--seed', '--seed-large'] : [arg]));
const { values } = parseArgs({
  args,
  allowNegative: true,
  options: {
    schedules: { type: 'boolean', default: true },
    memory: { type: 'boolean', default: false },
    seed: { type: 'boolean', default: false },
    'seed-large': { type: 'boolean', default: false },
    port: { type: 'string' },
    json: { type: 'boolean', default: false },
    'count-requests': { type: 'boolean', default: false },
    context: { type: 'string', multiple: true, default: [] },
  },
});

const context: Record<string, string> = {};
for (const pair of values.context) {
  const at = pair.indexOf('=');
  if (at < 1) {
    console.error(`[local] --context ${pair}: expected key=value`);
    process.exit(1);
  }
  context[pair.slice(0, at)] = pair.slice(at + 1);
}

const started = Date.now();
const port = Number(values.port ?? process.env.PORT ?? 3000);
const dataDir = values.memory ? undefined : resolve(process.env.CRM_DATA_DIR ?? resolve(ROOT_DIR, '.crm'));

let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
try {
  const onListening = values.json ? (apiUrl: string) => console.log(JSON.stringify({ listening: apiUrl })) : undefined;
  runtime = await startLocalRuntime({ port, onListening, dataDir, countRequests: values['count-requests'], schedules: values.schedules, holdReadiness: values.seed, context });
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
const seededLarge = values['seed-large'] ? await seedLargeTenant(runtime.apiUrl, runtime.tokens, LARGE_SEED, values.json ? undefined : progressBar()) : undefined;
if (seeded) await runtime.settle();
if (seededLarge) console.error(`[local] large demo: ${seededLarge.customers} customers, ${seededLarge.deals} deals, ${seededLarge.leads} leads`);
runtime.markReady();

if (values.json) {
  console.log(JSON.stringify({ ready: true, apiUrl: runtime.apiUrl, mailUrl: runtime.mailUrl, sesEndpoint: runtime.sesEndpoint, dynamoDbEndpoint: runtime.dynamoDbEndpoint, tableName: runtime.tableName, s3Endpoint: runtime.s3.url }));
} else {
  console.log(
    `\n${startBanner({
      apiUrl: runtime.apiUrl,
      mailUrl: runtime.mailUrl,
      dynamoDbEndpoint: runtime.dynamoDbEndpoint,
      tableName: runtime.tableName,
      dataDir,
      readySeconds: (Date.now() - started) / 1000,
      schedules: runtime.scheduler ? runtime.bus.schedules() : undefined,
      seeded,
      tokens: await demoTokens(runtime.tokens),
    })}`,
  );
}
