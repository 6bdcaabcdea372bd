import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { runClosedLoop } from './load';
import { expectOk, startRuntime } from './local-stack';

const TENANT = 'benchtasks';
const TASKS = 300;
const PAGE = 25;
const WINDOWS = ['today', 'overdue', 'upcoming', 'open', 'done'] as const;

type Counts = Record<string, { requests: number; readCapacityUnits: number }>;

export const tasksBenchmark: Benchmark = {
  name: 'tasks',
  title: "Tasks: a rep's lists, requests per page",
  run: runTasks,
};

/**
 * `GET /tasks?when=...` for one rep with TASKS tasks spread over the past week and the next one
 * (a tenth of them done): every page of every list, to the end, with the DynamoDB requests each
 * page cost, counted at DynamoDB Local.
 */
export async function runTasks(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const count = ctx.quick ? 80 : TASKS;
  const runtime = await startRuntime(ctx.rootDir, [], ['--count-requests']);
  const pages: { when: string; items: number; counts: Counts }[] = [];
  try {
    const { apiUrl } = runtime.stack;
    const send = async (method: string, path: string, body?: unknown, token?: string) =>
      (await expectOk(
        await fetch(`${apiUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }),
        `${method} ${path}`,
      )) as Record<string, unknown>;
    const token = String((await send('POST', '/_local/tokens', { sub: 'rep-1', tenantId: TENANT, groups: ['rep'] })).token);
    const customerId = String((await send('POST', '/customers', { name: 'Bench Customer', emails: ['bench@tasks.example'] }, token)).id);
    const now = Date.parse(String((await (await fetch(`${apiUrl}/_local/clock`)).json() as { now: string }).now));
    ctx.log(`creating ${count} tasks through the API`);
    let next = 0;
    const created = await runClosedLoop(
      async () => {
        const i = next++;
        // From 7 days ago to 7 days ahead, evenly: overdue, today and upcoming all have pages.
        const dueAt = new Date(now + ((i / count) * 14 - 7) * 24 * 3600_000).toISOString();
        const task = await send('POST', '/tasks', { title: `Task ${i}`, type: 'call', dueAt, customerId }, token);
        if (i % 10 === 0) await send('POST', `/tasks/${String(task.id)}/complete`, {}, token);
      },
      { concurrency: 4, maxOps: count },
    );
    if (created.errors) throw new Error(`seeding failed: ${created.firstError}`);
    await send('POST', '/_local/settle', {});

    for (const when of WINDOWS) {
      let cursor: string | null = null;
      for (let page = 1; page === 1 || cursor; page++) {
        await fetch(`${apiUrl}/_local/dynamodb-requests/reset`, { method: 'POST' });
        const body = (await send('GET', `/tasks?when=${when}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, undefined, token)) as { items: unknown[]; cursor: string | null };
        const counts = ((await (await fetch(`${apiUrl}/_local/dynamodb-requests`)).json()) as { operations: Counts }).operations;
        pages.push({ when, items: body.items.length, counts });
        cursor = body.cursor;
      }
    }
  } finally {
    await runtime.stop();
  }

  const requestsOf = (c: Counts) => Object.values(c).reduce((sum, op) => sum + op.requests, 0);
  const oneQuery = (p: (typeof pages)[number]) => requestsOf(p.counts) === 1 && p.counts.Query?.requests === 1;
  const today = pages.filter((p) => p.when === 'today');
  return {
    figures: { tasks: count, pageSize: PAGE, pages: pages.map((p) => ({ when: p.when, items: p.items, requests: p.counts })) },
    tables: [
      {
        title: `DynamoDB requests per page of GET /tasks (${count} tasks of one rep, limit ${PAGE}, every page to the end)`,
        columns: ['when', 'pages', 'tasks', 'requests per page', 'read units per page (max)'],
        rows: WINDOWS.map((when) => {
          const mine = pages.filter((p) => p.when === when);
          const units = (c: Counts) => Object.values(c).reduce((s, op) => s + op.readCapacityUnits, 0);
          return [when, String(mine.length), String(mine.reduce((s, p) => s + p.items, 0)), [...new Set(mine.map((p) => requestsOf(p.counts)))].join(', '), fmt(Math.max(...mine.map((p) => units(p.counts))), 1)];
        }),
      },
    ],
    reach: [
      { subject: 'GET /tasks?when=today: requests per page', target: '1 Query', actual: today.every(oneQuery) ? '1 Query on every page' : `up to ${Math.max(...today.map((p) => requestsOf(p.counts)))}`, met: today.every(oneQuery) },
      { subject: 'GET /tasks, every other list: requests per page', target: '1 Query', actual: pages.every(oneQuery) ? '1 Query on every page' : 'more on some page', met: pages.every(oneQuery) },
    ],
    notes: ["Each list is one key range of the rep's GSI1 partition (docs/tasks.md): the page size and the number of tasks do not change the number of requests."],
  };
}
