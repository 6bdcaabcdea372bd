import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { controlRoutes } from './control-routes';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local';
import { DynamoDbRequestCounter } from './dynamodb-request-counter';
import { BusLog } from './bus-log';
import { LocalEventBus } from './event-bus';
import { LocalFlowRunner } from './flows/flow-runner';
import { bindHttpApi, startHttpApi } from './http-api';
import { InFlight } from './in-flight';
import { LambdaHost } from './lambda-host';
import { LocalClock } from './local-clock';
import { LocalScheduler } from './scheduler';
import { LocalTokens } from './local-tokens';
import { SesMessageLog } from './ses-events';
import { S3StandIn } from './receiving/s3-stand-in';
import { deliverInboundMail, type InboundDelivery } from './receiving/inbound-mail';
import { SesStandIn } from './ses-stand-in';
import { startAwsEndpoints } from './aws-endpoints';
import { StreamPoller } from './stream-poller';
import { synthesizeTemplates } from './synthesize';
import { LOCAL_REGION } from './template-resolver';
import { LocalUserPool } from './user-pool';
import { LocalTaskTokens } from './flows/task-tokens';
import { type LocalWiring, readWiring } from './wiring';

export const ROOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalRuntimeOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  /** Called as soon as the API's port is bound (it answers 503 "starting" until the runtime is up). */
  onListening?: (apiUrl: string) => void;
  /** Where DynamoDB Local keeps its data and the token signing key; undefined = in memory. */
  dataDir?: string;
  stage?: string;
  /** CDK context for the synthesis, as `cdk synth -c key=value` would give it (e.g. campaignBatchesPerExecution). */
  context?: Record<string, string>;
  /** Put a request-counting proxy between the handlers and DynamoDB Local (GET /_local/dynamodb-requests). */
  countRequests?: boolean;
  /** Fire the scheduled rules by themselves on the runtime's clock (default); tests turn it off and run them by hand. */
  schedules?: boolean;
  /** Answer GET /health with 503 until markReady() (main.ts holds it while --seed runs). */
  holdReadiness?: boolean;
}

export interface LocalRuntimeParts {
  wiring: LocalWiring;
  clock: LocalClock;
  tokens: LocalTokens;
  /** The stand-in Cognito user pool: invited users, their groups and whether they may sign in. */
  userPool: LocalUserPool;
  bus: LocalEventBus;
  flows: LocalFlowRunner;
  ses: SesStandIn;
  /** The S3 stand-in (AWS_ENDPOINT_URL_S3): received mail, later files. */
  s3: S3StandIn;
  /** SES receiving: a raw message through the receipt rules (POST /_local/inbound-email). */
  inbound(raw: Buffer, recipients: readonly string[] | undefined, verdicts: { dmarc?: string; spf?: string; dkim?: string }): Promise<InboundDelivery>;
  /** Tags and configuration set of every mail sent (POST /_local/ses-events builds events from them). */
  sesMessages: SesMessageLog;
  streamPollers: StreamPoller[];
  requestCounter?: DynamoDbRequestCounter;
  /** Undefined with `schedules: false`: schedules then run only on POST /_local/schedules/{name}/run. */
  scheduler?: LocalScheduler;
  settle(): Promise<void>;
}

export interface LocalRuntime extends LocalRuntimeParts {
  apiUrl: string;
  mailUrl: string;
  /** The SES v2 endpoint the handlers use (the logging proxy in front of the stand-in). */
  sesEndpoint: string;
  dynamoDbEndpoint: string;
  tableName: string;
  /** GET /health turns green (see holdReadiness). */
  markReady(): void;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const MIN_POLL_MS = 50;
const MAX_POLL_MS = 1000;

/**
 * Starts the whole CRM on this machine from the synthesized CDK app: DynamoDB Local with the
 * template's table, the SES stand-in, the event bus with the template's rules, the flows, the
 * stream-to-bus mapping and the HTTP API, all running the real handler modules.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const clock = new LocalClock();
  clock.install();
  // Functions get the API's URL in their environment (unsubscribe links), so its port is bound first.
  const boundApi = await bindHttpApi(options.port ?? 3000);
  options.onListening?.(boundApi.url);
  let wiring: ReturnType<typeof readWiring>;
  try {
    wiring = readWiring(synthesizeTemplates(options.stage ?? 'local', options.context), { apiEndpoint: boundApi.url });
  } catch (error) {
    await closeServer(boundApi.server);
    throw error;
  }
  const table = wiring.tables[0];
  if (!table) throw new Error('The CDK app defines no table');

  // Beside DynamoDB Local's files: the bus's log and the stream checkpoints, so a restart on the
  // same data dir neither loses nor forgets an event (docs/local-runtime.md).
  const stateDir = options.dataDir ? join(options.dataDir, 'runtime') : undefined;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [() => closeServer(boundApi.server)];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error('[local] stop:', e));
  };

  try {
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({ dataDir: options.dataDir });
    stops.push(() => dynamo.stop());
    const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const streamsClient = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stops.push(async () => (dynamoClient.destroy(), streamsClient.destroy()));
    for (const t of wiring.tables) await ensureTable(dynamoClient, t.tableName, t.properties);

    const ses = await SesStandIn.start(0);
    stops.push(() => ses.stop());
    const s3 = await S3StandIn.start(stateDir && join(stateDir, 's3'));
    stops.push(() => s3.stop());
    const sesMessages = await SesMessageLog.start(ses.url, () => clock.now());
    stops.push(() => sesMessages.stop());

    const inFlight = new InFlight();
    const lambdas = new LambdaHost(wiring.functions, ROOT_DIR);
    const functionNameByArn = (arn: string) => [...wiring.functions.values()].find((f) => f.arn === arn || f.name === arn)?.name;
    const flows = new LocalFlowRunner(wiring.stateMachines, lambdas, functionNameByArn, inFlight, () => clock.now(), new LocalTaskTokens(stateDir && join(stateDir, 'task-tokens.json')));
    const bus = new LocalEventBus(
      wiring.rules,
      wiring.eventBuses,
      {
        invokeLambda: (name, event) => lambdas.invoke(name, event),
        startExecution: async (arn, input) => flows.start(arn, input),
      },
      inFlight,
      () => clock.now(),
    );
    const mailer = new SESv2Client({ endpoint: ses.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stops.push(async () => mailer.destroy());
    const userPool = new LocalUserPool(
      async (to, subject, text) =>
        void (await mailer.send(
          new SendEmailCommand({ FromEmailAddress: 'no-reply@verificationemail.com', Destination: { ToAddresses: [to] }, Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: text } } } } }),
        )),
      stateDir && join(stateDir, 'user-pool.json'),
    );
    const aws = await startAwsEndpoints(bus, flows, userPool.operations());
    stops.push(() => closeServer(aws.server));

    const requestCounter = options.countRequests ? await DynamoDbRequestCounter.start(dynamo.endpoint) : undefined;
    if (requestCounter) stops.push(() => requestCounter.stop());

    // Handlers create their SDK clients at module load, so this precedes every handler import.
    lambdas.applyEnvironment({
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: requestCounter?.endpoint ?? dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: sesMessages.url,
      // No Parameters and Secrets extension here: the handlers use the fixed local unsubscribe secret.
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
      AWS_ENDPOINT_URL_SFN: aws.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: aws.url,
      AWS_ENDPOINT_URL_S3: s3.url,
    });

    if (stateDir) {
      const resumed = bus.persistTo(new BusLog(join(stateDir, 'event-bus.jsonl')));
      if (resumed) console.log(`[local] resuming ${resumed} event deliveries a previous run did not finish`);
      const waiting = flows.resumeLeftOver();
      if (waiting) console.log(`[local] running again ${waiting} flow executions a previous run left waiting on a task token`);
    }
    const streamPollers = wiring.streamMappings.map(
      (m) => new StreamPoller(m, dynamoClient, streamsClient, (name, event) => lambdas.invoke(name, event), stateDir && join(stateDir, `stream-${m.functionName}.json`)),
    );
    for (const poller of streamPollers) await poller.init();
    const pollAll = async () => (await Promise.all(streamPollers.map((p) => p.poll()))).reduce((a, b) => a + b, 0);
    // Poll fast while records flow, back off to 1 s when idle: idle polling cost ~10% of a core
    // across node and Java. settle() polls on its own, so tests never wait for the back-off.
    let polling = true;
    const loop = (async () => {
      let delayMs = MIN_POLL_MS;
      while (polling) {
        const read = await pollAll().catch((e) => (console.error('[local] stream poll failed:', e), 0));
        delayMs = read > 0 ? MIN_POLL_MS : Math.min(MAX_POLL_MS, delayMs * 2);
        await new Promise((r) => setTimeout(r, delayMs));
      }
    })();
    stops.push(async () => {
      polling = false;
      // A delivery may be deep in its retries: give the loop a moment, never the whole back-off.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    });

    /** Until two stream passes in a row read nothing and no delivery or execution is running. */
    const settle = async () => {
      for (let quiet = 0; quiet < 2; ) {
        const read = await pollAll();
        await inFlight.drain();
        quiet = read === 0 ? quiet + 1 : 0;
      }
    };

    const scheduler = options.schedules === false ? undefined : new LocalScheduler(bus, () => clock.now());
    if (scheduler) {
      for (const s of scheduler.unsupported) console.warn(`[local] schedule ${s} does not fire by itself here: POST /_local/schedules/{name}/run`);
      scheduler.start();
      stops.push(async () => scheduler.stop());
    }

    // Health is the readiness probe: while --seed runs it must not report a half-filled stack as up.
    let ready = !options.holdReadiness;
    const healthFunction = wiring.routes.find((r) => r.method === 'GET' && r.path === '/health')?.functionName;
    const starting = { statusCode: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"status":"starting"}' };

    const tokens = await LocalTokens.create(options.dataDir);
    const inbound = (raw: Buffer, recipients: readonly string[] | undefined, verdicts: { dmarc?: string; spf?: string; dkim?: string }) =>
      deliverInboundMail(raw, recipients, verdicts, { rules: wiring.receiptRules, s3, invoke: (name, event) => lambdas.invoke(name, event) });
    const parts: LocalRuntimeParts = { wiring, clock, tokens, userPool, bus, flows, ses, s3, inbound, sesMessages, streamPollers, requestCounter, scheduler, settle };
    const api = await startHttpApi({
      port: boundApi,
      routes: wiring.routes,
      tokens,
      invoke: async (name, event) => (!ready && name === healthFunction ? starting : lambdas.invoke(name, event)),
      control: controlRoutes(parts),
      cors: wiring.cors,
    });

    const markReady = () => void (ready = true);
    return { ...parts, apiUrl: api.url, mailUrl: ses.url, sesEndpoint: sesMessages.url, dynamoDbEndpoint: dynamo.endpoint, tableName: table.tableName, markReady, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
