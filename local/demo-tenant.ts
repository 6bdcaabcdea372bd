import type { LocalTokens } from './local-tokens';

/** The demo tenant `npm start` prints tokens for and `--seed` fills. */
export const DEMO_TENANT = 'demo';

/** Max leads team "north" (Rita and Ravi): his lists show their customers and the unowned ones. */
export const DEMO_USERS = [
  { sub: 'admin-ada', name: 'Ada Admin', groups: ['admin'] },
  { sub: 'manager-max', name: 'Max Manager', groups: ['manager'], teamId: 'north' },
  { sub: 'rep-rita', name: 'Rita Rep', groups: ['rep'], teamId: 'north' },
  { sub: 'rep-ravi', name: 'Ravi Rep', groups: ['rep'], teamId: 'north' },
  { sub: 'marketer-mia', name: 'Mia Marketer', groups: ['marketer'] },
  { sub: 'agent-ali', name: 'Ali Agent', groups: ['agent'] },
] as const;
type DemoUser = (typeof DEMO_USERS)[number]['sub'];

const teamOf = (user: (typeof DEMO_USERS)[number]) => ('teamId' in user ? { teamId: user.teamId } : {});

/** The customers the reps and Max own (the first is the seed's marker: a second --seed finds it and stops). */
export const DEMO_CUSTOMERS = [
  {
    by: 'rep-rita',
    kind: 'company',
    name: 'Northwind Traders',
    emails: ['buyer@northwind.example'],
    phones: ['+44 20 7946 0018'],
    website: 'https://www.northwind.example',
    industry: 'wholesale',
    region: 'EMEA',
    level: 'A',
    lifecycleStage: 'opportunity',
    tags: ['key-account'],
    consent: { marketing: true },
  },
  { by: 'rep-rita', kind: 'person', name: 'Grace Hopper', emails: ['grace@hopper.example'], lifecycleStage: 'mql', consent: { marketing: false } },
  { by: 'rep-ravi', kind: 'company', name: 'Contoso Ltd', emails: ['it@contoso.example'], website: 'contoso.example', level: 'B', tags: ['key-account'], consent: { marketing: true } },
  { by: 'manager-max', kind: 'company', name: 'Fabrikam Inc', emails: ['info@fabrikam.example'], website: 'fabrikam.example', lifecycleStage: 'lead' },
] as const satisfies readonly ({ by: DemoUser } & Record<string, unknown>)[];

/** Customers waiting in the pools: Rita found them and released them for the team. */
const POOLED = [
  { pool: 'general', name: 'Wingtip Toys', emails: ['hello@wingtip.example'], industry: 'retail', region: 'EMEA' },
  { pool: 'general', name: 'Litware Inc', emails: ['sales@litware.example'], industry: 'software', region: 'EMEA' },
  { pool: 'trials', name: 'Tailspin Toys', emails: ['ops@tailspin.example'], industry: 'retail', region: 'EMEA' },
] as const;

const STAGES = [
  { id: 'qualify', name: 'Qualify', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 40 },
  { id: 'negotiation', name: 'Negotiation', probability: 70, forecastCategory: 'commit' },
];

export interface SeedSummary {
  created: number;
  existing: number;
  /** What else the seed made, for the banner. */
  made?: { users: number; pools: number; deals: number; leads: number; tasks: number; campaigns: number };
}

export async function demoTokens(tokens: LocalTokens): Promise<{ sub: string; groups: readonly string[]; token: string }[]> {
  return Promise.all(
    DEMO_USERS.map(async (u) => ({ sub: u.sub, groups: u.groups, token: await tokens.issue({ sub: u.sub, tenantId: DEMO_TENANT, groups: [...u.groups], ...teamOf(u) }) })),
  );
}

/**
 * Seeds through the public API, so the seed exercises the same path (events, flows, mail) as users
 * do, and every role finds work at once (docs/local-runtime.md, "The demo tenant"): the user
 * directory, a pool with a policy and customers waiting in it, one close to its reclaim, a
 * pipeline with deals on every stage and closed ones, routed and scored leads from a web form
 * (each with its first-contact task), tasks due today and overdue, a template, a segment and a
 * sent campaign. A second run on the same data finds Northwind and adds nothing.
 */
export async function seedDemoTenant(apiUrl: string, tokens: LocalTokens): Promise<SeedSummary> {
  const tokenOf = new Map<string, string>();
  for (const u of DEMO_USERS) tokenOf.set(u.sub, await tokens.issue({ sub: u.sub, tenantId: DEMO_TENANT, groups: [...u.groups], ...teamOf(u) }));
  const as = (sub: DemoUser) => tokenOf.get(sub)!;
  const api = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    expected: number[] = [200, 201],
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`Seeding: ${method} ${path} answered ${response.status} ${text}`);
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };

  // Customers first: the first one tells whether this data dir was seeded before.
  const customerIds: string[] = [];
  let created = 0;
  let existing = 0;
  for (const { by, ...customer } of DEMO_CUSTOMERS) {
    const res = await api<{ id: string }>('POST', '/customers', as(by), customer, [201, 409]);
    if (res.status === 409) {
      existing++;
    } else {
      created++;
      customerIds.push(res.body.id);
    }
  }
  if (existing > 0) return { created, existing };
  const [northwind, , contoso, fabrikam] = customerIds as [string, string, string, string];
  const now = Date.parse((await api<{ now: string }>('GET', '/_local/clock', undefined)).body.now);
  const inHours = (h: number) => new Date(now + h * 3600_000).toISOString();
  const inDays = (d: number) => new Date(now + d * 86_400_000).toISOString().slice(0, 10);

  // The user directory: names and teams behind the ids, where reminders and digests go.
  for (const u of DEMO_USERS) await api('PUT', `/users/${u.sub}`, as('admin-ada'), { email: `${u.sub}@demo.example`, name: u.name, ...teamOf(u) });

  // Pools: General (30 days without follow-up) and Trials (2 days: its customers come back fast).
  const pool = async (name: string, days: number, isDefault: boolean) =>
    (
      await api<{ id: string }>('POST', '/pools', as('admin-ada'), {
        name,
        isDefault,
        members: { users: [], groups: ['rep'] },
        policy: { rules: { noFollowUpDays: days }, warningDaysBefore: Math.min(3, days - 1), claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 200, maxLockedPerRep: 10 }, reclaimCooldownDays: 7 },
      })
    ).body.id;
  const pools = { general: await pool('General', 30, true), trials: await pool('Trials', 2, false) };
  const pooled: Record<string, string> = {};
  for (const { pool: which, ...customer } of POOLED) {
    const id = (await api<{ id: string }>('POST', '/customers', as('rep-rita'), { kind: 'company', ...customer })).body.id;
    await api('POST', `/customers/${id}/release`, as('rep-rita'), { poolId: pools[which], reason: 'Outside my accounts: for the team to pick up' });
    pooled[customer.name] = id;
  }
  // Ravi takes Tailspin from Trials: it goes back in two days unless he follows up.
  await api('POST', `/customers/${pooled['Tailspin Toys']}/claim`, as('rep-ravi'));

  // A pipeline with a deal on every stage, one won and one lost.
  const pipelineId = (await api<{ id: string }>('POST', '/pipelines', as('admin-ada'), { name: 'New business', stages: STAGES })).body.id;
  const deal = async (by: DemoUser, customerId: string, name: string, amount: string, stageId: string, closeInDays: number) =>
    (await api<{ id: string; version: number }>('POST', '/deals', as(by), { customerId, pipelineId, stageId, name, amount, currency: 'EUR', expectedCloseDate: inDays(closeInDays) })).body;
  const deals = [
    await deal('rep-rita', northwind, 'Northwind: warehouse rollout', '48000.00', 'negotiation', 20),
    await deal('rep-rita', northwind, 'Northwind: support plan', '12000.00', 'proposal', 35),
    await deal('rep-ravi', contoso, 'Contoso: pilot', '9500.00', 'qualify', 60),
    await deal('manager-max', fabrikam, 'Fabrikam: first order', '22000.00', 'proposal', 45),
  ];
  const won = await deal('rep-rita', northwind, 'Northwind: starter pack', '3000.00', 'negotiation', 5);
  await api('PATCH', `/deals/${won.id}`, as('rep-rita'), { status: 'won' }, [200], { 'if-match': `"${won.version}"` });
  const lost = await deal('rep-ravi', contoso, 'Contoso: hardware bundle', '7000.00', 'qualify', 10);
  await api('PATCH', `/deals/${lost.id}`, as('rep-ravi'), { status: 'lost', reason: 'Went with a competitor' }, [200], { 'if-match': `"${lost.version}"` });

  // Leads: routing to team north (30 minutes to first contact), a web form, three submissions.
  await api('PUT', '/routing-rules', as('admin-ada'), {
    rules: [{ name: 'EMEA', teamId: 'north', regions: ['EMEA'], respondWithinMinutes: 30 }],
    defaultTeamId: 'north',
    teams: [{ teamId: 'north', reps: [{ userId: 'rep-rita', available: true }, { userId: 'rep-ravi', available: true }] }],
  });
  const form = (await api<{ formKey: string }>('POST', '/forms', as('admin-ada'), { name: 'Contact us', source: 'website' })).body;
  const leads = [
    { name: 'Lena Lind', email: 'lena@adatum.example', company: 'Adatum', region: 'EMEA', industry: 'software', message: 'Pricing for 50 seats?' },
    { name: 'Omar Okafor', email: 'omar@proseware.example', company: 'Proseware', region: 'EMEA', message: 'Please call me back' },
    { name: 'Jun Ito', email: 'jun@margie.example', company: "Margie's Travel", region: 'APAC' },
  ];
  for (const lead of leads) await api('POST', `/forms/${form.formKey}/submit`, undefined, lead);

  // Follow-up work: due today and overdue, with a reminder.
  const task = (by: DemoUser, body: Record<string, unknown>) => api('POST', '/tasks', as(by), body);
  await task('rep-rita', { title: 'Call Northwind about the rollout date', type: 'call', dueAt: inHours(2), customerId: northwind, remindAt: inHours(1) });
  await task('rep-rita', { title: 'Send the support plan proposal', type: 'email', dueAt: inHours(4), dealId: deals[1]!.id });
  await task('rep-ravi', { title: 'Follow up on the Contoso pilot', type: 'call', dueAt: inHours(-20), customerId: contoso });
  await task('rep-ravi', { title: 'Introduce yourself to Tailspin', type: 'meeting', dueAt: inHours(24), customerId: pooled['Tailspin Toys'] });

  // Marketing: a template, the key-account segment, a campaign sent to it.
  const templateId = (
    await api<{ id: string }>('POST', '/templates', as('marketer-mia'), {
      name: 'Spring offer',
      subject: 'Spring offer for {{customer.name}}',
      html: '<p>Hello {{customer.name}}, our spring offer is here.</p>',
      text: 'Hello {{customer.name}}, our spring offer is here.',
    })
  ).body.id;
  const segmentId = (await api<{ id: string }>('POST', '/segments', as('marketer-mia'), { name: 'Key accounts', definition: { tags: { any: ['key-account'] } } })).body.id;
  const campaignId = (await api<{ id: string }>('POST', '/campaigns', as('marketer-mia'), { name: 'Spring offer', templateId, segmentId, topic: 'marketing' })).body.id;
  await api('POST', `/campaigns/${campaignId}/send`, as('marketer-mia'));

  return {
    created: created + POOLED.length,
    existing,
    made: { users: DEMO_USERS.length, pools: 2, deals: deals.length + 2, leads: leads.length, tasks: 4, campaigns: 1 },
  };
}
