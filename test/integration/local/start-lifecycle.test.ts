import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

interface Ready {
  apiUrl: string;
  dynamoDbEndpoint: string;
}

const started: ChildProcess[] = [];

/** Starts `npm start`'s entry point on its own free ports, as a user would (plus --json). */
async function start(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRM_LOG_LEVEL: 'silent', ...env },
  });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as Ready);
    });
  });
  return { child, ready };
}

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

const reachable = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

const json = async <T>(url: string, init?: RequestInit) => (await (await fetch(url, init)).json()) as T;

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('--seed fills the demo tenant through the API, and Ctrl-C stops everything including Java', async () => {
    const { child, ready } = await start(['--memory', '--seed']);

    const { events } = await json<{ events: { event: { detail: { tenantId: string } } }[] }>(`${ready.apiUrl}/_local/events?detailType=crm.customer.created.v1`);
    const { emails } = await json<{ emails: { subject: string }[] }>(`${ready.apiUrl}/_local/emails`);
    expect(events.filter((e) => e.event.detail.tenantId === 'demo')).toHaveLength(4);
    expect(emails.map((e) => e.subject).sort()).toEqual(['Welcome, Contoso Ltd', 'Welcome, Northwind Traders']);

    expect(await interrupt(child)).toBe(0);
    expect(await reachable(ready.dynamoDbEndpoint)).toBe(false);
    expect(await reachable(`${ready.apiUrl}/health`)).toBe(false);
  });

  it('leaves no JVM behind even when the runtime is killed outright (SIGKILL, no exit hooks)', async () => {
    const { child, ready } = await start(['--memory']);
    const exited = new Promise((resolve) => child.once('exit', resolve));

    child.kill('SIGKILL');
    await exited;

    let gone = false;
    for (let i = 0; i < 20 && !gone; i++) {
      gone = !(await reachable(ready.dynamoDbEndpoint));
      if (!gone) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(gone).toBe(true);
  });

  it('keeps data and the token signing key in CRM_DATA_DIR across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-data-'));
    try {
      const first = await start([], { CRM_DATA_DIR: dataDir });
      const { token } = await json<{ token: string }>(`${first.ready.apiUrl}/_local/tokens`, {
        method: 'POST',
        body: JSON.stringify({ sub: 'rep-1', tenantId: 'persist', groups: ['rep'] }),
      });
      const created = await json<{ id: string }>(`${first.ready.apiUrl}/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Still here', emails: ['still@here.example'] }),
      });
      expect(await interrupt(first.child)).toBe(0);

      const second = await start([], { CRM_DATA_DIR: dataDir });
      const read = await fetch(`${second.ready.apiUrl}/customers/${created.id}`, { headers: { authorization: `Bearer ${token}` } });

      expect(read.status).toBe(200);
      expect(((await read.json()) as { name: string }).name).toBe('Still here');
      expect(await interrupt(second.child)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two full starts (synthesis of every stack, DynamoDB Local, Java) in one test.
  }, 120_000);
});
