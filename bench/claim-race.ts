import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { apiClient, startRuntime } from './local-stack';

const TENANT = 'benchclaim';
const CLAIMERS = 50;
const FULL_REPETITIONS = 20;
const QUICK_REPETITIONS = 3;

export const claimRaceBenchmark: Benchmark = {
  name: 'claim-race',
  title: 'Claim race: one winner, every time',
  run: runClaimRace,
};

interface Round {
  winners: number;
  conflicts: number;
  other: number;
  ms: number;
}

/**
 * Issue 4, measured: 50 reps claim the same pooled customer at once, 20 times over (a fresh
 * customer each round). The claim is one transaction conditional on the customer being unowned
 * and in the pool, so every round must end with exactly one 200 and 49 409s.
 */
export async function runClaimRace(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const repetitions = ctx.quick ? QUICK_REPETITIONS : FULL_REPETITIONS;
  const runtime = await startRuntime(ctx.rootDir, [], []);
  try {
    const { apiUrl } = runtime.stack;
    const { send, json } = apiClient(apiUrl);
    const token = async (sub: string, groups: string[]) => String((await json('POST', '/_local/tokens', undefined, { sub, tenantId: TENANT, groups })).token);

    const admin = await token('admin-1', ['admin']);
    const seeder = await token('seeder', ['rep']);
    const claimers = await Promise.all(Array.from({ length: CLAIMERS }, (_, i) => token(`rep-${i}`, ['rep'])));
    const pool = await json('POST', '/pools', admin, {
      name: 'Race track',
      members: { users: [], groups: ['rep'] },
      policy: {
        rules: { noFollowUpDays: 30 },
        warningDaysBefore: 3,
        claimLimits: { perRequest: 1, perRepPerDay: 1000, maxOwnedPerRep: 1000, maxLockedPerRep: 10 },
        reclaimCooldownDays: 0,
      },
    });

    const rounds: Round[] = [];
    for (let r = 0; r < repetitions; r++) {
      const customer = await json('POST', '/customers', seeder, { name: `Contested ${r}` });
      await json('POST', `/customers/${String(customer.id)}/release`, seeder, { reason: 'For the race', poolId: pool.id });
      const started = performance.now();
      const statuses = await Promise.all(claimers.map((t) => send('POST', `/customers/${String(customer.id)}/claim`, t).then(async (res) => (await res.text(), res.status))));
      rounds.push({
        winners: statuses.filter((s) => s === 200).length,
        conflicts: statuses.filter((s) => s === 409).length,
        other: statuses.filter((s) => s !== 200 && s !== 409).length,
        ms: performance.now() - started,
      });
      ctx.log(`round ${r + 1}/${repetitions}: ${rounds.at(-1)!.winners} winner(s), ${rounds.at(-1)!.conflicts} x 409`);
    }

    const exact = rounds.filter((r) => r.winners === 1 && r.conflicts === CLAIMERS - 1).length;
    return {
      figures: { claimers: CLAIMERS, repetitions, rounds },
      tables: [
        {
          title: `${CLAIMERS} concurrent claims of one pooled customer, ${repetitions} rounds`,
          columns: ['Round', 'Winners (200)', 'Conflicts (409)', 'Other', 'Round time (ms)'],
          rows: rounds.map((r, i) => [String(i + 1), String(r.winners), String(r.conflicts), String(r.other), fmt(r.ms)]),
        },
      ],
      reach: [
        {
          subject: `claim race: rounds with exactly 1 winner and ${CLAIMERS - 1} x 409`,
          target: `${repetitions} of ${repetitions}`,
          actual: `${exact} of ${repetitions}`,
          met: exact === repetitions,
        },
      ],
      notes: ['Each round creates a customer, releases it into the pool and fires all claims at once over separate HTTP requests to the local runtime (API route, JWT, handler, DynamoDB Local transaction).'],
    };
  } finally {
    await runtime.stop();
  }
}
