import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from '../client';

interface Match {
  customerId: string;
  name: string;
  ownerId: string | null;
  matchedOn: { field: string; value: string }[];
}

const check = (token: string, body: Record<string, unknown>) => call<{ matches: Match[] }>('POST', '/customers/check-duplicates', { token, body });

describe('POST /customers/check-duplicates', () => {
  it('finds exact email, phone and domain holders with their owner, strongest match first', async () => {
    const tenant = newTenant();
    const rita = await tokenFor(tenant, 'rep-rita', ['rep']);
    const email = uniqueEmail('buyer');
    const unasked = uniqueEmail('private');
    const { body: acme } = await call<{ id: string }>('POST', '/customers', {
      token: rita,
      body: { kind: 'company', name: 'Acme Tools', emails: [email, unasked], phones: ['+49 30 5550100'], website: 'acme-tools.example' },
    });
    const { body: other } = await call<{ id: string }>('POST', '/customers', { token: rita, body: { name: 'Someone Else', phones: ['+49 30 5550199'] } });

    const { status, body } = await check(await tokenFor(tenant, 'rep-ravi', ['rep']), {
      emails: [email.toUpperCase()],
      phones: ['0049 30 5550100', '+49 30 5550199'],
      domain: 'https://www.acme-tools.example',
    });

    expect(status).toBe(200);
    expect(body.matches.map((m) => m.customerId)).toEqual([acme.id, other.id]);
    expect(body.matches[0]).toMatchObject({ name: 'Acme Tools', ownerId: 'rep-rita' });
    expect(body.matches[0]!.matchedOn.map((m) => m.field).sort()).toEqual(['domain', 'email', 'phone']);
    // Matches name who holds what was asked about, never the customer's other contact data.
    expect(JSON.stringify(body)).not.toContain(unasked);
  });

  it('suggests customers whose name starts like the given one, ignoring case, accents and punctuation', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    await call('POST', '/customers', { token: rep, body: { name: 'Müller & Söhne GmbH' } });
    await call('POST', '/customers', { token: rep, body: { name: 'Mueller Bakery' } });

    const { body } = await check(rep, { name: 'muller sohne' });

    expect(body.matches.map((m) => m.name)).toEqual(['Müller & Söhne GmbH']);
  });

  it('follows a rename', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const { body: c } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Old Name Ltd' } });
    await call('PATCH', `/customers/${c.id}`, { token: rep, body: { name: 'Fresh Name Ltd' }, headers: { 'if-match': '"1"' } });

    expect((await check(rep, { name: 'Old Name' })).body.matches).toEqual([]);
    expect((await check(rep, { name: 'Fresh' })).body.matches.map((m) => m.customerId)).toEqual([c.id]);
  });

  it('never reports another tenant\'s customers', async () => {
    const email = uniqueEmail();
    await call('POST', '/customers', { token: await tokenFor(newTenant(), 'rep-1', ['rep']), body: { name: 'Hidden Co', emails: [email] } });

    const { body } = await check(await tokenFor(newTenant(), 'rep-1', ['rep']), { emails: [email], name: 'Hidden' });

    expect(body.matches).toEqual([]);
  });

  it('asks for at least one criterion and names invalid ones', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const empty = await check(rep, {});
    const invalid = await call<{ errors: { path: string }[] }>('POST', '/customers/check-duplicates', { token: rep, body: { phones: ['12'] } });
    expect([empty.status, invalid.status]).toEqual([400, 400]);
    expect(invalid.body.errors.map((e) => e.path)).toEqual(['phones.0']);
  });
});
