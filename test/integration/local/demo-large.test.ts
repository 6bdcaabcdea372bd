import { describe, expect, it } from 'vitest';
import { seedLargeTenant } from '../../../local/demo-large';
import type { LocalTokens } from '../../../local/local-tokens';
import { call, settle, stack, tokenFor } from '../client';

/** The local issuer behind /_local/tokens, as the seed takes it. */
const tokens = { issue: async (claims: { sub: string; tenantId: string; groups: string[]; teamId?: string }) => tokenFor(claims.tenantId, claims.sub, claims.groups, claims.teamId) } as unknown as LocalTokens;

describe('npm start -- --seed=large', () => {
  it('adds customers, deals and leads to the demo tenant through the API, reporting progress, and adds nothing a second time', async () => {
    const seen: number[] = [];
    const made = await seedLargeTenant(stack().apiUrl, tokens, { customers: 24, deals: 6, leads: 5 }, (done, total) => {
      seen.push(done);
      expect(total).toBe(35);
    });
    await settle();

    expect(made).toEqual({ customers: 24, deals: 6, leads: 5 });
    expect(seen.at(-1)).toBe(35);
    const admin = await tokenFor('demo', 'admin-ada', ['admin']);
    const deals = await call<{ items: unknown[] }>('GET', '/deals?status=open&limit=100', { token: admin });
    expect(deals.body.items.length).toBeGreaterThanOrEqual(6);
    const leads = await call<{ items: unknown[] }>('GET', '/leads?status=new&limit=100', { token: admin });
    expect(leads.body.items.length).toBeGreaterThanOrEqual(5);

    expect(await seedLargeTenant(stack().apiUrl, tokens, { customers: 24, deals: 6, leads: 5 })).toBeUndefined();
  });
});
