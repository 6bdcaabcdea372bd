import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { call, settle, uniqueEmail } from '../client';
import { createCustomer, marketingTenant } from '../marketing-fixtures';
import { exportedFile, type ImportJob, newImport, type Problem, ran, report, upload } from './import-helpers';

/**
 * CSV imports end to end through the local runtime (docs/integrations.md, "Imports"): the file
 * goes to the S3 stand-in through the presigned link POST /imports answers, `/run` checks it and
 * starts the import flow (its Distributed Map run inline), and GET /imports/{id} shows the counts
 * and links the error CSV.
 */

interface CustomerView {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  ownerId: string | null;
  tags: string[];
  address: { city?: string } | null;
  consent: Record<string, unknown>;
  customFields: Record<string, unknown>;
}

async function customerByEmail(token: string, email: string): Promise<CustomerView | undefined> {
  const res = await call<{ items: CustomerView[] }>('GET', `/customers?email=${encodeURIComponent(email)}`, { token });
  expect(res.status).toBe(200);
  return res.body.items[0];
}

describe('CSV imports', () => {
  it('validate in a dry run without writing, then write every valid row, reporting duplicates with their owner and invalid rows by column', async () => {
    const { admin, rep } = await marketingTenant();
    expect((await call('PUT', '/users/rep-1', { token: admin, body: { email: 'rep-1@example.com', name: 'Rita Rep' } })).status).toBe(201);
    const taken = uniqueEmail('taken');
    const existingId = await createCustomer(rep, { name: 'Already Here', emails: [taken] });
    const [a, b, c] = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')];
    const csv = [
      'Company,E-Mail,Phone,City,Newsletter,Tier,Owner,Notes',
      `"Acme, Inc.",${a},+49 30 1234567,Berlin,yes,gold,rep-1@example.com,ignored`,
      `Bolt,${b},,München,no,,,`,
      `Dup of existing,${taken},,,,,,`,
      `Not an email,not-an-email,,,,,,`,
      `Dup in file,${a},,,,,,`,
      `"Multi\nline",${c},,,,silver,rep-1,`,
    ].join('\n');
    const job = await newImport(admin, {
      mapping: { Company: 'name', 'E-Mail': 'emails', Phone: 'phones', City: 'address.city', Newsletter: 'consent.newsletter', Tier: 'customFields.tier', Owner: 'ownerId' },
      options: { fileName: 'leads.csv' },
    });
    expect(job.uploadUrl).toBe(job.upload.url);
    await upload(job, csv);

    const dry = await ran(admin, job, { dryRun: true });
    expect(dry.failure).toBeNull();
    expect(dry).toMatchObject({ status: 'validated', dryRun: true, rows: 6, written: 3, created: 3, skipped: 2, failed: 1 });
    expect(await customerByEmail(admin, a)).toBeUndefined();
    const dryReport = await report(dry);
    expect(dryReport.map((r) => [r.row, r.outcome])).toEqual([['3', 'skipped'], ['4', 'failed'], ['5', 'skipped']]);
    expect(dryReport[0]).toMatchObject({ existingId, errors: expect.stringContaining(`belongs to customer ${existingId}`) });
    expect(dryReport[1]!.errors).toMatch(/^E-Mail: /);
    expect(dryReport[2]!.errors).toContain('also on row 1');

    const done = await ran(admin, job);
    expect(done).toMatchObject({ status: 'completed', dryRun: false, rows: 6, written: 3, created: 3, updated: 0, skipped: 2, failed: 1, chunks: 1, chunksDone: 1 });
    expect(done.written + done.skipped + done.failed).toBe(done.rows);
    const acme = await customerByEmail(admin, a);
    expect(acme).toMatchObject({ name: 'Acme, Inc.', phones: ['+49301234567'], ownerId: 'rep-1', address: { city: 'Berlin' }, customFields: { tier: 'gold' } });
    expect(acme!.consent).toMatchObject({ newsletter: true });
    expect(await customerByEmail(admin, c)).toMatchObject({ name: 'Multi\nline', ownerId: 'rep-1', customFields: { tier: 'silver' } });
    expect(await customerByEmail(admin, b)).toMatchObject({ name: 'Bolt', ownerId: null, address: { city: 'München' } });
    const rows = await report(done);
    expect(rows.map((r) => r.row)).toEqual(['3', '4', '5']);
    expect(rows[0]).toMatchObject({ outcome: 'skipped', existingId, existingOwnerId: 'rep-1', Company: 'Dup of existing', 'E-Mail': taken });
    // The rep's book counts the two customers the import gave them.
    const book = await call<{ items: CustomerView[] }>('GET', '/customers', { token: rep });
    expect(book.body.items.map((x) => x.name).sort()).toEqual(['Acme, Inc.', 'Already Here', 'Multi\nline']);

    // Nothing welcomed: the import asked for no ordinary creations.
    const mails = await call<{ to: string[] }[]>('GET', '/_local/emails');
    expect(JSON.stringify(mails.body)).not.toContain(a);
    // A completed import is done.
    expect((await call('POST', `/imports/${job.id}/run`, { token: admin, body: {} })).status).toBe(409);
  });

  it('read Latin-1 files with semicolons, and UTF-8 with a BOM, named as their fields without a mapping', async () => {
    const { admin } = await marketingTenant();
    const [x, y] = [uniqueEmail('x'), uniqueEmail('y')];
    const latin = await newImport(admin, {});
    await upload(latin, Buffer.from(`name;emails;address.city;tags\nZoë Ärzte;${x};Köln;"a;b"\n`, 'latin1'));
    expect(await ran(admin, latin)).toMatchObject({ status: 'completed', rows: 1, created: 1 });
    expect(await customerByEmail(admin, x)).toMatchObject({ name: 'Zoë Ärzte', address: { city: 'Köln' }, tags: ['a', 'b'] });

    const bom = await newImport(admin, { options: { onDuplicate: 'report' } });
    await upload(bom, `\ufeffname,emails\nŁódź Sp.,${y}\nAgain,${x}\n`);
    expect(await ran(admin, bom)).toMatchObject({ status: 'completed', rows: 2, created: 1, failed: 1 });
    expect(await customerByEmail(admin, y)).toMatchObject({ name: 'Łódź Sp.' });
  });

  it('update duplicates with the row when asked, as PATCH would', async () => {
    const { admin, rep } = await marketingTenant();
    const email = uniqueEmail('up');
    const id = await createCustomer(rep, { name: 'Old Name', emails: [email], tags: ['x'] });
    const job = await newImport(admin, { options: { onDuplicate: 'update' } });
    await upload(job, `name,emails,industry\nNew Name,${email},Retail\n`);
    expect(await ran(admin, job)).toMatchObject({ status: 'completed', rows: 1, written: 1, updated: 1, created: 0 });
    expect((await call<CustomerView>('GET', `/customers/${id}`, { token: admin })).body).toMatchObject({ name: 'New Name', industry: 'Retail', tags: ['x'], ownerId: 'rep-1' });
  });

  it('refuse what can be told before a row is read with a 400 naming it, and per-row problems in the report', async () => {
    const { admin, rep } = await marketingTenant();
    const refused = async (job: Pick<ImportJob, 'id'>) => {
      const res = await call<Problem>('POST', `/imports/${job.id}/run`, { token: admin, body: {} });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      return res.body.errors?.map((e) => e.path);
    };
    expect(await refused(await newImport(admin, {}))).toEqual(['file']);
    const unknown = await newImport(admin, {});
    await upload(unknown, 'name,colour\nA,red\n');
    expect(await refused(unknown)).toEqual(['header.colour']);
    const badMapping = await newImport(admin, { mapping: { Name: 'name', Missing: 'emails', Colour: 'colour' } });
    await upload(badMapping, 'Name,Colour\nA,red\n');
    expect(await refused(badMapping)).toEqual(['mapping.Missing', 'mapping.Colour']);
    const huge = await newImport(admin, {});
    await upload(huge, Buffer.alloc(100 * 1024 * 1024 + 1, 'a'));
    expect(await refused(huge)).toEqual(['file']);

    const body = await call<Problem>('POST', '/imports', { token: admin, body: { entity: 'customers', options: { onDuplicate: 'merge' } } });
    expect(body.status).toBe(400);
    expect(body.body.errors?.map((e) => e.path)).toEqual(['options.onDuplicate']);
    expect((await call('POST', '/imports', { token: rep, body: { entity: 'customers' } })).status).toBe(403);

    // A row of 10,000 cells and a quote never closed: rows of the report, not a failed import.
    const wide = await newImport(admin, {});
    const email = uniqueEmail('ok');
    await upload(wide, `name,emails\nWide,${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\nFine,${email}\nOpen,"never closed\n`);
    const done = await ran(admin, wide);
    expect(done).toMatchObject({ status: 'completed', rows: 3, created: 1, failed: 2 });
    const rows = await report(done);
    expect(rows.map((r) => r.errors)).toEqual([expect.stringContaining('10001 cells'), expect.stringContaining('Quote Not Closed')]);
  });

  it('are seen by their importer and admins only, and a cancelled import runs no more', async () => {
    const { admin, marketer } = await marketingTenant();
    const job = await newImport(marketer, {});
    expect((await call('GET', `/imports/${job.id}`, { token: admin })).status).toBe(200);
    const listed = await call<{ items: ImportJob[] }>('GET', '/imports', { token: marketer });
    expect(listed.body.items.map((j) => j.id)).toEqual([job.id]);
    const cancelled = await call<ImportJob>('POST', `/imports/${job.id}/cancel`, { token: marketer });
    expect(cancelled.body.status).toBe('cancelled');
    await upload(job, 'name\nA\n');
    const again = await call<Problem>('POST', `/imports/${job.id}/run`, { token: marketer, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('import-closed');
  });

  it('race a customer created through the API for the same email: one customer, the other side told', async () => {
    const { admin } = await marketingTenant();
    const emails = Array.from({ length: 20 }, () => uniqueEmail('race'));
    const job = await newImport(admin, {});
    await upload(job, `name,emails\n${emails.map((e, i) => `Row ${i},${e}`).join('\n')}\n`);
    const started = call('POST', `/imports/${job.id}/run`, { token: admin, body: {} });
    const api = await Promise.all(emails.map((e) => call('POST', '/customers', { token: admin, body: { name: 'From API', emails: [e] } })));
    expect((await started).status).toBe(202);
    await settle();
    const done = (await call<ImportJob>('GET', `/imports/${job.id}`, { token: admin })).body;
    const apiWon = api.filter((r) => r.status === 201).length;
    expect(api.filter((r) => r.status !== 201).every((r) => r.status === 409)).toBe(true);
    expect(done.created + apiWon).toBe(20);
    expect(done.skipped).toBe(apiWon);
    for (const email of emails) {
      const found = await call<{ items: CustomerView[] }>('GET', `/customers?email=${encodeURIComponent(email)}`, { token: admin });
      expect(found.body.items).toHaveLength(1);
    }
  });

  it('import contacts to companies named by id or domain, as POST /customers/{id}/contacts adds them', async () => {
    const { admin } = await marketingTenant();
    const suffix = uniqueEmail('d').split('@')[0]!;
    const acmeDomain = `acme-${suffix}.example.com`;
    const acme = await createCustomer(admin, { kind: 'company', name: 'Acme', domain: acmeDomain });
    const bolt = await createCustomer(admin, { kind: 'company', name: 'Bolt' });
    const person = await createCustomer(admin, { kind: 'person', name: 'Pat' });
    const known = uniqueEmail('known');
    expect((await call('POST', `/customers/${acme}/contacts`, { token: admin, body: { name: 'Known', emails: [known] } })).status).toBe(201);
    const [ann, ben] = [uniqueEmail('ann'), uniqueEmail('ben')];
    const job = await newImport(admin, { entity: 'contacts', mapping: { Name: 'name', Role: 'title', Mail: 'emails', Website: 'companyDomain', Company: 'customerId', News: 'consent.newsletter' } });
    await upload(job, [
      'Name,Role,Mail,Website,Company,News',
      `Ann,CEO,${ann},https://www.${acmeDomain}/about,,yes`,
      `Ben,,${ben},,${bolt},`,
      `Known again,,${known},${acmeDomain},,`,
      `Nobody,,${uniqueEmail('n')},unknown-${suffix}.example.com,,`,
      `Pat's,,${uniqueEmail('p')},,${person},`,
      `Ann twice,,${ann},${acmeDomain},,`,
      `No company,,${uniqueEmail('x')},,,`,
    ].join('\n'));
    const dry = await ran(admin, job, { dryRun: true });
    expect(dry).toMatchObject({ status: 'validated', rows: 7, created: 2, skipped: 2, failed: 3 });
    const done = await ran(admin, job);
    expect(done).toMatchObject({ status: 'completed', rows: 7, written: 2, created: 2, skipped: 2, failed: 3 });
    const rows = await report(done);
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([['3', 'skipped'], ['4', 'failed'], ['5', 'failed'], ['6', 'skipped'], ['7', 'failed']]);
    expect(rows[1]!.errors).toContain(`Website: No company has the domain unknown-${suffix}.example.com`);
    expect(rows[2]!.errors).toContain('is a person');
    const contacts = (await call<{ contacts: { name: string }[] }>('GET', `/customers/${acme}/360`, { token: admin })).body;
    expect(contacts.contacts?.map((c) => c.name).sort()).toEqual(['Ann', 'Known']);
    const boltView = (await call<{ contacts: { name: string }[] }>('GET', `/customers/${bolt}/360`, { token: admin })).body;
    expect(boltView.contacts?.map((c) => c.name)).toEqual(['Ben']);
  });

  it('import leads as a capture creates them, scored, owned when a column says so; known people are duplicates, not leads', async () => {
    const { admin, rep } = await marketingTenant();
    expect((await call('PUT', '/users/rep-1', { token: admin, body: { email: 'rep-1@example.com', name: 'Rita Rep' } })).status).toBe(201);
    const customerEmail = uniqueEmail('cust');
    await createCustomer(admin, { name: 'Known Customer', emails: [customerEmail] });
    const leadEmail = uniqueEmail('lead');
    expect((await call('POST', '/leads', { token: admin, body: { name: 'Known Lead', email: leadEmail } })).status).toBe(201);
    const [a, b] = [uniqueEmail('la'), uniqueEmail('lb')];
    const job = await newImport(admin, { entity: 'leads', mapping: { Name: 'name', Mail: 'email', Firm: 'company', Size: 'companySize', Campaign: 'utm.campaign', Owner: 'ownerId' } });
    await upload(job, [
      'Name,Mail,Firm,Size,Campaign,Owner',
      `Lia,${a},Acme,250,spring,rep-1@example.com`,
      `Leo,${b},Bolt,,,`,
      `Cust,${customerEmail},,,,`,
      `Lead,${leadEmail},,,,`,
      `Again,${a},,,,`,
      `Nobody,,,,,`,
      `Sized,${uniqueEmail('s')},,many,,`,
    ].join('\n'));
    const dry = await ran(admin, job, { dryRun: true });
    expect(dry).toMatchObject({ status: 'validated', rows: 7, created: 2, skipped: 3, failed: 2 });
    const done = await ran(admin, job);
    expect(done).toMatchObject({ status: 'completed', rows: 7, written: 2, created: 2, skipped: 3, failed: 2 });
    const rows = await report(done);
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([['3', 'skipped'], ['4', 'skipped'], ['5', 'skipped'], ['6', 'failed'], ['7', 'failed']]);
    expect(rows[0]!.errors).toContain('customer');
    expect(rows[1]!.errors).toContain('lead');
    expect(rows[3]!.errors).toMatch(/^Mail: /);
    expect(rows[4]!.errors).toMatch(/^Size: /);
    const mine = await call<{ items: { name: string; ownerId: string | null; source: string | null; company: string | null; companySize: number | null }[] }>('GET', '/leads?status=new', { token: rep });
    expect(mine.body.items.map((l) => l.name)).toEqual(['Lia']);
    expect(mine.body.items[0]).toMatchObject({ ownerId: 'rep-1', source: 'import', company: 'Acme', companySize: 250 });
    const refused = await call<Problem>('POST', '/imports', { token: admin, body: { entity: 'leads', options: { onDuplicate: 'update' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['options.onDuplicate']);
  });

  it('import the product catalogue (admins), prices per currency and level; an existing SKU is updated when asked', async () => {
    const { admin, marketer } = await marketingTenant();
    const existing = await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: 'OLD-1', name: 'Old', prices: { EUR: '10.00' } } });
    expect(existing.status).toBe(201);
    expect((await call('POST', '/imports', { token: marketer, body: { entity: 'products' } })).status).toBe(403);
    const job = await newImport(admin, { entity: 'products', options: { onDuplicate: 'update' } });
    await upload(job, [
      'sku,name,category,prices.EUR,prices.JPY,levelPrices.gold.EUR,taxRatePercent,active',
      'NEW-1,Widget,Tools,100.00,15000,90.00,19,yes',
      'old-1,Old renamed,,12.50,,,,',
      'BAD-1,Cheap,,1.234,,,,',
      'NEW-1,Widget again,,1.00,,,,',
    ].join('\n'));
    const done = await ran(admin, job);
    expect(done).toMatchObject({ status: 'completed', rows: 4, created: 1, updated: 2, failed: 1, written: 3 });
    expect((await report(done)).map((r) => [r.row, r.errors])).toEqual([['3', expect.stringMatching(/^prices\.EUR: /)]]);
    const products = (await call<{ items: { sku: string; name: string; prices: Record<string, string>; levelPrices: Record<string, Record<string, string>>; taxRatePercent: string }[] }>('GET', '/products', { token: admin })).body.items;
    const bySku = Object.fromEntries(products.map((p) => [p.sku, p]));
    expect(bySku['OLD-1']).toMatchObject({ name: 'Old renamed', prices: { EUR: '12.50' } });
    // The second NEW-1 row waited for the first and updated it, as the file's order says.
    expect(bySku['NEW-1']).toMatchObject({ name: 'Widget again', prices: { EUR: '1.00', JPY: '15000' }, levelPrices: { gold: { EUR: '90.00' } }, taxRatePercent: '19' });
  });

  it('take an exported catalogue back as it is: products go round an export and an import unchanged', async () => {
    const { admin } = await marketingTenant();
    for (const body of [
      { sku: 'RT-1', name: '=Formula, "quoted"', category: 'Tools', prices: { EUR: '100.00', JPY: '15000' }, levelPrices: { gold: { EUR: '90.00' } }, taxRatePercent: '19' },
      { sku: 'RT-2', name: 'Plain', prices: { USD: '9.99' }, active: false },
    ]) expect((await call('POST', '/products', { token: admin, body })).status).toBe(201);
    const file = await exportedFile(admin, 'products', 2);

    const other = await marketingTenant();
    const job = await newImport(other.admin, { entity: 'products' });
    await upload(job, file);
    expect(await ran(other.admin, job)).toMatchObject({ status: 'completed', rows: 2, created: 2, failed: 0 });
    const catalogue = async (token: string) =>
      (await call<{ items: Record<string, unknown>[] }>('GET', '/products', { token })).body.items
        .map(({ id: _id, version: _v, createdAt: _c, updatedAt: _u, ...product }) => product)
        .sort((a, b) => String(a.sku).localeCompare(String(b.sku)));
    expect(await catalogue(other.admin)).toEqual(await catalogue(admin));
    expect((await call('POST', '/exports', { token: admin, body: { entity: 'products', filter: { tag: 'x' } } })).status).toBe(400);
  });

  it('take exported leads back as they are: the fields an import reads go round unchanged', async () => {
    const { admin, marketer } = await marketingTenant();
    const leads = [
      { name: 'Lia Lead', email: uniqueEmail('rt'), company: 'Acme', companySize: 250, title: '+CTO', utm: { source: 'news', campaign: 'spring' }, message: 'Call me,\nplease' },
      { name: 'Leo Lead', phone: '+49 30 7654321', source: 'fair' },
    ];
    for (const body of leads) expect((await call('POST', '/leads', { token: admin, body })).status).toBe(201);
    const file = await exportedFile(marketer, 'leads', 2);

    const other = await marketingTenant();
    const job = await newImport(other.admin, { entity: 'leads' });
    await upload(job, file);
    expect(await ran(other.admin, job)).toMatchObject({ status: 'completed', rows: 2, created: 2, failed: 0 });
    const fields = ['name', 'email', 'phone', 'company', 'companySize', 'title', 'utm', 'message', 'source'] as const;
    const listed = async (token: string) =>
      (await call<{ items: Record<string, unknown>[] }>('GET', '/leads?status=new', { token })).body.items
        .map((lead) => Object.fromEntries(fields.map((f) => [f, lead[f]])))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(await listed(other.admin)).toEqual(await listed(admin));
  });

  it("export the contacts of the customers a rep may see, with the columns the contact import reads back", async () => {
    const { admin, rep } = await marketingTenant();
    const mine = await createCustomer(rep, { kind: 'company', name: 'Rep Co' });
    const theirs = await createCustomer(admin, { kind: 'company', name: 'Admin Co' });
    const [a, b] = [uniqueEmail('ca'), uniqueEmail('cb')];
    expect((await call('POST', `/customers/${mine}/contacts`, { token: rep, body: { name: 'Ann', title: 'CEO', emails: [a], consent: { newsletter: true } } })).status).toBe(201);
    expect((await call('POST', `/customers/${theirs}/contacts`, { token: admin, body: { name: 'Bob', emails: [b] } })).status).toBe(201);
    const file = await exportedFile(rep, 'contacts', 1);
    expect(parse(file, { bom: true, columns: true })).toEqual([{ customerId: mine, name: 'Ann', title: 'CEO', emails: a, phones: '', 'consent.newsletter': 'yes' }]);
    // The file imports as it is: here the contact is there already, so it is a duplicate, not a second Ann.
    const job = await newImport(admin, { entity: 'contacts' });
    await upload(job, file);
    expect(await ran(admin, job)).toMatchObject({ status: 'completed', rows: 1, skipped: 1, created: 0 });
  });
});
