import type { LocalTokens } from './local-tokens';

/** The demo tenant `npm start` prints tokens for and `--seed` fills. */
export const DEMO_TENANT = 'demo';

/** Max leads team "north" (Rita and Ravi): his lists show their customers and the unowned ones. */
export const DEMO_USERS = [
  { sub: 'admin-ada', groups: ['admin'] },
  { sub: 'manager-max', groups: ['manager'], teamId: 'north' },
  { sub: 'rep-rita', groups: ['rep'], teamId: 'north' },
  { sub: 'rep-ravi', groups: ['rep'], teamId: 'north' },
  { sub: 'marketer-mia', groups: ['marketer'] },
  { sub: 'agent-ali', groups: ['agent'] },
] as const;

const teamOf = (user: (typeof DEMO_USERS)[number]) => ('teamId' in user ? { teamId: user.teamId } : {});

const DEMO_CUSTOMERS = [
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
  { by: 'rep-ravi', kind: 'company', name: 'Contoso Ltd', emails: ['it@contoso.example'], website: 'contoso.example', level: 'B', consent: { marketing: true } },
  { by: 'manager-max', kind: 'company', name: 'Fabrikam Inc', emails: ['info@fabrikam.example'], website: 'fabrikam.example', lifecycleStage: 'lead' },
];

export async function demoTokens(tokens: LocalTokens): Promise<{ sub: string; groups: readonly string[]; token: string }[]> {
  return Promise.all(
    DEMO_USERS.map(async (u) => ({ ...u, token: await tokens.issue({ sub: u.sub, tenantId: DEMO_TENANT, groups: [...u.groups], ...teamOf(u) }) })),
  );
}

/** Seeds through the public API, so the seed exercises the same path (events, flows, mail) as users do. */
export async function seedDemoTenant(apiUrl: string, tokens: LocalTokens): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const { by, ...customer } of DEMO_CUSTOMERS) {
    const user = DEMO_USERS.find((u) => u.sub === by)!;
    const token = await tokens.issue({ sub: user.sub, tenantId: DEMO_TENANT, groups: [...user.groups], ...teamOf(user) });
    const response = await fetch(`${apiUrl}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(customer),
    });
    if (response.status === 201) created++;
    else if (response.status === 409) existing++;
    else throw new Error(`Seeding ${customer.name} failed: ${response.status} ${await response.text()}`);
  }
  return { created, existing };
}
