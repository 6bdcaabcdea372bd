import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The local runtime a benchmark runs against, started the way the integration suite starts it. */
export interface LocalStack {
  apiUrl: string;
  dynamoDbEndpoint: string;
  tableName: string;
}

export async function issueToken(apiUrl: string, tenantId: string): Promise<string> {
  const res = await fetch(`${apiUrl}/_local/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'rep-1', tenantId, groups: ['rep'] }),
  });
  return ((await expectOk(res, 'POST /_local/tokens')) as { token: string }).token;
}

export async function createCustomer(apiUrl: string, token: string): Promise<string> {
  const res = await fetch(`${apiUrl}/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Bench Customer', emails: [`bench-${Date.now()}@example.com`] }),
  });
  return ((await expectOk(res, 'POST /customers')) as { id: string }).id;
}

export async function expectOk(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** JSON requests to a local API: `send` answers the raw Response, `json` insists on 2xx and parses. */
export function apiClient(apiUrl: string) {
  const send = (method: string, path: string, token: string | undefined, body?: unknown) =>
    fetch(`${apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (method: string, path: string, token: string | undefined, body?: unknown) =>
    (await expectOk(await send(method, path, token, body), `${method} ${path}`)) as Record<string, unknown>;
  return { send, json };
}

/**
 * `POST /_local/settle`, asked again while fetch gives up on it: after a bulk seed the stream can
 * take longer than fetch's 5-minute header timeout to drain, and the runtime keeps settling meanwhile.
 */
export async function settleFully(apiUrl: string, attempts: number): Promise<void> {
  const { json } = apiClient(apiUrl);
  for (let attempt = 1; ; attempt++) {
    try {
      await json('POST', '/_local/settle', undefined, {});
      return;
    } catch (error) {
      if (attempt >= attempts || !String((error as Error).message).includes('fetch failed')) throw error;
    }
  }
}

/**
 * Starts the runtime as test/integration/global-setup.ts does. It runs in its own process group
 * (detached) so that, should it not stop on SIGTERM, one SIGKILL to the group also ends the
 * DynamoDB Local JVM it started; an exit hook does that if this process dies first.
 */
export async function startRuntime(
  rootDir: string,
  nodeArgs: string[],
  runtimeArgs: string[] = [],
  /** Keep data in this dir (CRM_DATA_DIR) instead of in memory. */
  dataDir?: string,
): Promise<{ stack: LocalStack; pid: number; stop(): Promise<void>; crash(): Promise<void> }> {
  const storage = dataDir ? [] : ['--memory'];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'local/main.ts', ...storage, '--port', '0', '--json', '--no-schedules', ...runtimeArgs], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRM_LOG_LEVEL: 'silent', ...(dataDir ? { CRM_DATA_DIR: dataDir } : {}) },
    detached: true,
  });
  const pid = child.pid!;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = () => alive() && killGroup('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup('SIGTERM');
    setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : 143), 5_000).unref();
    exited.then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async () => {
    if (alive()) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      if (alive()) killGroup('SIGKILL');
      await exited;
    }
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };

  /** SIGKILL to the runtime alone, as a crash: no exit hooks; its JVM guard must end Java. */
  const crash = async () => {
    if (alive()) process.kill(pid, 'SIGKILL');
    await exited;
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };

  const stderr: string[] = [];
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  try {
    const stack = await new Promise<LocalStack>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local runtime not ready in 90 s:\n${stderr.join('')}`)), 90_000);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`local runtime exited with ${child.exitCode ?? child.signalCode}:\n${stderr.join('')}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const parsed = JSON.parse(line) as LocalStack & { ready?: boolean };
        if (parsed.ready) {
          clearTimeout(timer);
          resolve(parsed);
        }
      });
    });
    return { stack, pid, stop, crash };
  } catch (error) {
    await stop();
    throw error;
  }
}
