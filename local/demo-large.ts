import type { LocalTokens } from './local-tokens';
import { DEMO_TENANT } from './demo-tenant';

/** What `npm start -- --seed=large` adds to the demo tenant for trying speed (docs/local-runtime.md). */
export const LARGE_SEED = { customers: 10_000, deals: 2_000, leads: 5_000 } as const;

const CONCURRENCY = 8;
const FIRST = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Litware', 'Adventure', 'Proseware', 'Trey', 'Margie', 'Alpine', 'Coho'];
const SECOND = ['Traders', 'Trading', 'Travel', 'Toys', 'Systems', 'Solutions', 'Works', 'Partners', 'Foods', 'Logistics'];
const REGIONS = ['EMEA', 'APAC', 'AMER'];

export interface LargeSeedProgress {
  (done: number, total: number): void;
}

/**
 * Customers (split between Rita and Ravi), deals on the first of them and leads through the API,
 * CONCURRENCY at a time, so the runtime does what it does for users. A second run finds the
 * first large customer and adds nothing.
 */
export async function seedLargeTenant(
  apiUrl: string,
  tokens: LocalTokens,
  counts: { customers: number; deals: number; leads: number } = LARGE_SEED,
  progress: LargeSeedProgress = () => undefined,
): Promise<{ customers: number; deals: number; leads: number } | undefined> {
  const token = (sub: string, groups: string[]) => tokens.issue({ sub, tenantId: DEMO_TENANT, groups, teamId: 'north' });
  const reps = [await token('rep-rita', ['rep']), await token('rep-ravi', ['rep'])];
  const admin = await token('admin-ada', ['admin']);
  const post = async (path: string, bearer: string, body: unknown, ok = [200, 201]) => {
    const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!ok.includes(response.status)) throw new Error(`Seeding (large): POST ${path} answered ${response.status} ${text}`);
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const customer = (i: number) => ({
    kind: 'company',
    name: `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]} ${i}`,
    emails: [`buyer-${i}@large-${i}.example`],
    region: REGIONS[i % REGIONS.length],
  });
  // The first one is the marker: a second run stops here.
  const first = await post('/customers', reps[0]!, customer(0), [201, 409]);
  if (first.status === 409) return undefined;

  const total = counts.customers + counts.deals + counts.leads;
  let done = 1;
  const tick = () => progress(++done, total);
  const ids: string[] = [String(first.body.id)];
  await inParallel(counts.customers - 1, async (n) => {
    const i = n + 1;
    ids[i] = String((await post('/customers', reps[i % 2]!, customer(i))).body.id);
    tick();
  });
  const pipelineId = String((await post('/pipelines', admin, { name: 'Volume', stages: [{ id: 'lead', name: 'Lead', probability: 10 }, { id: 'demo', name: 'Demo', probability: 40 }, { id: 'contract', name: 'Contract', probability: 80 }] })).body.id);
  const stages = ['lead', 'demo', 'contract'];
  await inParallel(counts.deals, async (i) => {
    const close = new Date(Date.UTC(2027, i % 12, 1 + (i % 28))).toISOString().slice(0, 10);
    await post('/deals', reps[i % 2]!, { customerId: ids[i % ids.length], pipelineId, stageId: stages[i % stages.length], name: `Volume deal ${i}`, amount: `${1000 + (i % 50) * 250}.00`, currency: 'EUR', expectedCloseDate: close });
    tick();
  });
  await inParallel(counts.leads, async (i) => {
    await post('/leads', admin, { name: `Lead ${i}`, email: `lead-${i}@prospect-${i}.example`, company: `Prospect ${i}`, region: REGIONS[i % REGIONS.length], source: 'import' }, [200, 201, 409]);
    tick();
  });
  return { customers: counts.customers, deals: counts.deals, leads: counts.leads };
}

async function inParallel(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** A one-line progress bar on stderr (a terminal), redrawn in place. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): LargeSeedProgress {
  let last = -1;
  return (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === last && done !== total) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    stream.write(`\r[local] seeding large demo [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})${done === total ? '\n' : ''}`);
  };
}
