import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { crashAndRestartRound } from '../../../bench/event-loss';

interface Ready {
  apiUrl: string;
  dynamoDbEndpoint: string;
}

const started: ChildProcess[] = [];

/** Starts `npm start`'s entry point on its own free ports, as a user would (plus --json). */
async function start(
  args: string[],
  env: Record<string, string> = {},
  command: [string, string[]] = [process.execPath, ['--import', 'tsx', 'local/main.ts']],
  onListening?: (apiUrl: string) => void,
) {
  const child = spawn(command[0], [...command[1], ...(args.includes('--port') ? [] : ['--port', '0']), '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRM_LOG_LEVEL: 'silent', ...env },
  });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"listening"')) onListening?.((JSON.parse(line) as { listening: string }).listening);
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

/** As an admin: an approver and a policy asking them for every quote; as the rep: a quote submitted, waiting. */
async function quoteUnderApproval(apiUrl: string, repToken: string, customerId: string) {
  const tokenOf = async (sub: string, groups: string[]) =>
    (await json<{ token: string }>(`${apiUrl}/_local/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, tenantId: 'persist', groups }) })).token;
  const send = (token: string, method: string, path: string, body: unknown) =>
    json<Record<string, string> & { approval?: { processId: string } }>(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const admin = await tokenOf('admin-1', ['admin']);
  await send(admin, 'PUT', '/users/approver-1', { email: 'approver-1@persist.example', name: 'Approver' });
  await send(admin, 'PUT', '/approval-policies/quote-discount', { rules: [{ name: 'Every quote', steps: [{ approvers: [{ userId: 'approver-1' }] }] }] });
  const product = await send(admin, 'POST', '/products', { sku: 'P-1', name: 'Seat', prices: { EUR: '10.00' } });
  const quote = await send(repToken, 'POST', '/quotes', { customerId, currency: 'EUR', validUntil: '2030-01-31', lines: [{ productId: product.id, quantity: 1 }] });
  const submitted = await send(repToken, 'POST', `/quotes/${quote.id}/submit`, {});
  await fetch(`${apiUrl}/_local/settle`, { method: 'POST' });
  return { quoteId: quote.id!, approvalId: `${submitted.approval!.processId}-0-0`, approverToken: await tokenOf('approver-1', ['manager']) };
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('--seed fills the demo tenant through the API, /health is green only after it, and Ctrl-C stops everything including Java', async () => {
    // Poll /health from the moment the port is bound: the first 200 must find the seed complete.
    let starting = 0;
    let firstGreen: Promise<unknown> | undefined;
    let poll: Promise<void> | undefined;
    const pollHealth = async (apiUrl: string) => {
      for (let i = 0; i < 3000 && !firstGreen; i++) {
        const status = await fetch(`${apiUrl}/health`).then((r) => r.status, () => 0);
        if (status === 503) starting += 1;
        if (status === 200) firstGreen = json(`${apiUrl}/_local/events?detailType=crm.customer.created.v1`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const { child, ready } = await start(['--memory', '--seed'], {}, undefined, (apiUrl) => (poll = pollHealth(apiUrl)));
    await poll;
    const atFirstGreen = (await firstGreen) as { events: { event: { detail: { tenantId: string } } }[] };
    expect(starting).toBeGreaterThan(0);
    // Four customers of the reps and Max, three waiting in the pools (one claimed back by Ravi).
    expect(atFirstGreen.events.filter((e) => e.event.detail.tenantId === 'demo')).toHaveLength(7);

    const { events } = await json<{ events: { event: { detail: { tenantId: string } } }[] }>(`${ready.apiUrl}/_local/events?detailType=crm.customer.created.v1`);
    const { emails } = await json<{ emails: { subject: string }[] }>(`${ready.apiUrl}/_local/emails`);
    expect(events.filter((e) => e.event.detail.tenantId === 'demo')).toHaveLength(7);
    expect(emails.map((e) => e.subject).sort()).toEqual(['Spring offer for Contoso Ltd', 'Spring offer for Northwind Traders', 'Welcome, Contoso Ltd', 'Welcome, Northwind Traders']);
    // Every role finds work: Rita has calls today, Max a board with deals, leads were routed with their first-contact calls.
    const tokenOf = async (sub: string, groups: string[]) =>
      (await json<{ token: string }>(`${ready.apiUrl}/_local/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, tenantId: 'demo', groups, teamId: 'north' }) })).token;
    const rita = await tokenOf('rep-rita', ['rep']);
    const ritaTasks = await json<{ items: { source: string }[] }>(`${ready.apiUrl}/tasks?when=open`, { headers: { authorization: `Bearer ${rita}` } });
    expect(ritaTasks.items.length).toBeGreaterThanOrEqual(2);
    const leadTasks = (await json<{ events: unknown[] }>(`${ready.apiUrl}/_local/events?detailType=crm.lead.assigned.v1`)).events;
    expect(leadTasks).toHaveLength(3);
    const max = await tokenOf('manager-max', ['manager']);
    const deals = await json<{ items: unknown[] }>(`${ready.apiUrl}/deals?status=open`, { headers: { authorization: `Bearer ${max}` } });
    expect(deals.items).toHaveLength(4);

    expect(await interrupt(child)).toBe(0);
    expect(await reachable(ready.dynamoDbEndpoint)).toBe(false);
    expect(await reachable(`${ready.apiUrl}/health`)).toBe(false);
  });

  it('says which port is taken and exits 1 when the API port is in use, starting nothing', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      await expect(start(['--memory', '--port', String(port)])).rejects.toThrow(new RegExp(`exited 1: .*Port ${port} on 127.0.0.1 is in use`));
    } finally {
      holder.close();
    }
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
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'rep-1', tenantId: 'persist', groups: ['rep'] }),
      });
      const created = await json<{ id: string }>(`${first.ready.apiUrl}/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Still here', emails: ['still@here.example'] }),
      });
      // A quote waiting on its approver: the approval flow waits on a task token across the restart.
      const waiting = await quoteUnderApproval(first.ready.apiUrl, token, created.id);
      expect(await interrupt(first.child)).toBe(0);

      const second = await start([], { CRM_DATA_DIR: dataDir });
      const read = await fetch(`${second.ready.apiUrl}/customers/${created.id}`, { headers: { authorization: `Bearer ${token}` } });

      expect(read.status).toBe(200);
      expect(((await read.json()) as { name: string }).name).toBe('Still here');
      const decided = await fetch(`${second.ready.apiUrl}/approvals/${waiting.approvalId}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${waiting.approverToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(decided.status).toBe(200);
      await fetch(`${second.ready.apiUrl}/_local/settle`, { method: 'POST' });
      const quote = await json<{ status: string }>(`${second.ready.apiUrl}/quotes/${waiting.quoteId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(quote.status).toBe('approved');
      expect(await interrupt(second.child)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two full starts (synthesis of every stack, DynamoDB Local, Java) in one test.
  }, 120_000);

  it('fires schedules by themselves on the runtime clock, and SIGTERM to the npm process stops everything', async () => {
    const { child, ready } = await start(['--memory'], {}, ['npm', ['start', '--']]);
    const api = ready.apiUrl;
    const scheduledEvents = async () => (await json<{ events: { event: { resources: string[] } }[] }>(`${api}/_local/events?detailType=Scheduled%20Event`)).events;
    const { next } = await json<{ next: Record<string, string> }>(`${api}/_local/schedules`);
    const [first, firstAt] = Object.entries(next).sort((a, b) => a[1].localeCompare(b[1]))[0]!;

    // Just short of the first period: nothing fires; then real time carries the clock over it.
    const set = await json<{ fired: string[] }>(`${api}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date(Date.parse(firstAt) - 1500).toISOString() }),
    });
    expect(set.fired).toEqual([]);
    expect(await scheduledEvents()).toHaveLength(0);
    let fired = 0;
    for (let i = 0; i < 50 && fired === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      fired = (await scheduledEvents()).length;
    }
    expect(fired).toBe(1);

    // A jump over every period fires each schedule once, at once.
    const jump = await json<{ fired: string[] }>(`${api}/_local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'P1D' }) });
    expect(jump.fired.sort()).toEqual(Object.keys(next).sort());
    expect(jump.fired).toContain(first);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    let gone = false;
    for (let i = 0; i < 20 && !gone; i++) {
      gone = !(await reachable(ready.dynamoDbEndpoint)) && !(await reachable(`${api}/health`));
      if (!gone) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(gone).toBe(true);
  }, 60_000);

  it('loses no committed event when the runtime is killed mid-load: every customer is counted once after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-crash-'));
    try {
      // 100 creates at once, SIGKILL once half are answered, restart on the same data dir, settle.
      const round = await crashAndRestartRound(process.cwd(), dataDir, 'crashtest', 100);

      expect(round.acknowledged).toBeGreaterThanOrEqual(50); // answers already on their way when the kill lands count too
      expect(round.missing).toBe(0);
      expect(round.stored).toBeGreaterThanOrEqual(round.acknowledged);
      expect(round.counted).toBe(round.stored);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
