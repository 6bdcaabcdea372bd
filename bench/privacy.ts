import { BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory } from 'ulid';
import { uniqueValues } from '../shared/customers/contact-points';
import { createCustomerInput, newCustomer } from '../shared/customers/customer';
import { guardPut, newProfilePut } from '../shared/customers/customer-items';
import { keys } from '../shared/keys';
import { createLeadInput, newLead } from '../shared/leads/lead';
import { leadGuardItems, leadProfileItem } from '../shared/leads/lead-repository';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { runClosedLoop } from './load';
import { apiClient, settleFully, startRuntime } from './local-stack';

const LARGE_TENANT = 'benchprivacylarge';
const SMALL_TENANT = 'benchprivacysmall';
/** Issue 15's figure: a tenant of 100,000 customers and 50,000 leads. */
const FULL_SIZE = { customers: 100_000, leads: 50_000 };
const QUICK_SIZE = { customers: 10_000, leads: 5_000 };
/**
 * People measured per tenant. The request counter also counts the stream consumers (search
 * indexer) when a stream poll happens to fall inside an erasure; they can only add requests, so
 * the fewest over a few people is the request's own count, and the spread shows how often that happened.
 */
const REPEATS = 3;
const BATCH = 25;
/** Settle requests of 5 minutes each (fetch's limit) before giving up on the stream: an hour. */
const SETTLE_ATTEMPTS = 12;

type Api = ReturnType<typeof apiClient>;
type Item = Record<string, unknown>;
type Operations = Record<string, { requests: number }>;
type RequestKind = 'export' | 'erasure';

/** One privacy request's DynamoDB requests: the total and per operation. */
interface Count {
  total: number;
  operations: Record<string, number>;
}

/** One person set up as the integration test's: a customer, a contact at a company, a lead, suppressed. */
interface Person {
  email: string;
  customerId: string;
  companyId: string;
  contactId: string;
  leadId: string;
}

interface RequestView {
  status: string;
  counts: Record<string, number>;
}

interface TenantRun {
  tenant: string;
  export: Count[];
  erasure: Count[];
  problems: string[];
}

interface Seeding {
  items: number;
  ms: number;
  settleMs: number;
}

export const privacyBenchmark: Benchmark = {
  name: 'privacy',
  title: 'Privacy requests by email: DynamoDB requests in a tenant of 100,000 customers and 50,000 leads against an empty one',
  run: runPrivacy,
};

/**
 * Issue 15, measured: an export and an erasure by email of one person (a customer, a contact at a
 * company, a lead, a suppression entry) in a tenant of 100,000 customers and 50,000 leads and in an
 * empty tenant, counted by the local runtime's request counter. The lookups go by key and exact
 * index token, so the counts must be equal.
 */
export async function runPrivacy(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const size = ctx.quick ? QUICK_SIZE : FULL_SIZE;
  const runtime = await startRuntime(ctx.rootDir, [], ['--count-requests']);
  const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
  const dynamo = new DynamoDBClient({ endpoint: dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const api = apiClient(apiUrl);
    const admin = await adminToken(api, LARGE_TENANT);
    await checkSeededShapes(api, dynamo, tableName, admin);

    ctx.log(`seeding ${size.customers} customers and ${size.leads} leads (with their email guards) into ${LARGE_TENANT}`);
    const seeding = await seedTenant(api, apiUrl, dynamo, tableName, size);
    ctx.log(`seeded ${seeding.items} items in ${(seeding.ms / 1000).toFixed(1)} s (${Math.round(seeding.items / (seeding.ms / 1000))} items/s); settled in ${(seeding.settleMs / 1000).toFixed(1)} s`);
    const tableItems = (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table?.ItemCount ?? 0;

    let personNo = 0;
    const measure = async (tenant: string): Promise<TenantRun> => {
      const token = await adminToken(api, tenant);
      const run: TenantRun = { tenant, export: [], erasure: [], problems: [] };
      for (let r = 0; r < REPEATS; r++) {
        const person = await setUpPerson(api, token, ++personNo);
        const exported = await counted(api, () => api.send('POST', '/privacy/requests', token, { type: 'export', email: person.email }));
        run.problems.push(...(await exportProblems(exported.response, `${tenant} export ${r + 1}`)));
        run.export.push(exported.count);
        const erased = await counted(api, () => api.send('POST', '/privacy/requests', token, { type: 'erasure', email: person.email }));
        run.problems.push(...(await erasureProblems(api, token, person, erased.response, `${tenant} erasure ${r + 1}`)));
        run.erasure.push(erased.count);
        ctx.log(`${tenant} #${r + 1}: export ${exported.count.total} requests, erasure ${erased.count.total}`);
      }
      return run;
    };
    const large = await measure(LARGE_TENANT);
    const small = await measure(SMALL_TENANT);
    return outcome(size, seeding, tableItems, large, small);
  } finally {
    dynamo.destroy();
    await runtime.stop();
  }
}

async function adminToken(api: Api, tenantId: string): Promise<string> {
  return String((await api.json('POST', '/_local/tokens', undefined, { sub: 'admin-1', tenantId, groups: ['admin'] })).token);
}

/** The items POST /customers writes for a customer: its profile and one guard per email (the builders it uses). */
function customerItems(tableName: string, tenantId: string, id: string, email: string, nowIso: string): Item[] {
  const customer = newCustomer(createCustomerInput.parse({ name: `Customer ${id.slice(-6)}`, emails: [email] }), { userId: 'admin-1', tenantId, groups: ['admin'] }, id, nowIso);
  return [newProfilePut(tableName, customer).Put!.Item!, ...uniqueValues(customer).map((u) => guardPut(tableName, customer, u).Put!.Item!)];
}

/** The items POST /leads writes for a lead, without its first signal and events: the profile and its email guard. */
function leadItems(tenantId: string, id: string, email: string, nowIso: string): Item[] {
  const lead = newLead(createLeadInput.parse({ name: `Lead ${id.slice(-6)}`, email, company: 'Seeded Ltd' }), { id, tenantId, channel: 'api', formId: null, actorId: 'admin-1', nowIso, defaultSource: null });
  return [leadProfileItem(lead), ...leadGuardItems(lead).map((g) => g.item)];
}

/** Every item of the large tenant, customers first; addresses that no person set up later uses. */
function* largeTenantItems(tableName: string, size: typeof FULL_SIZE, nowMs: number): Generator<Item> {
  const nextId = monotonicFactory();
  const nowIso = new Date(nowMs).toISOString();
  for (let i = 0; i < size.customers; i++) yield* customerItems(tableName, LARGE_TENANT, nextId(nowMs - 3_600_000 + i), `customer${i}@c${i % 97}.privacy.example`, nowIso);
  for (let i = 0; i < size.leads; i++) yield* leadItems(LARGE_TENANT, nextId(nowMs - 3_600_000 + i), `lead${i}@l${i % 89}.privacy.example`, nowIso);
}

/** BatchWriteItem, 25 items a request, 8 in parallel; then a settle so the stream (search index) has caught up. */
async function seedTenant(api: Api, apiUrl: string, dynamo: DynamoDBClient, tableName: string, size: typeof FULL_SIZE): Promise<Seeding> {
  const nowMs = Date.parse(String((await api.json('GET', '/_local/clock', undefined)).now));
  // Every customer and lead is a profile plus one email guard.
  const total = 2 * (size.customers + size.leads);
  const items = largeTenantItems(tableName, size, nowMs);
  const start = performance.now();
  const run = await runClosedLoop(
    async () => {
      // Taken synchronously, before the first await: the workers share the generator.
      const batch: Item[] = [];
      for (let next = items.next(); !next.done; next = items.next()) if (batch.push(next.value) === BATCH) break;
      let requests = batch.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
      while (requests.length) {
        const result = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    },
    { concurrency: 8, maxOps: Math.ceil(total / BATCH) },
  );
  if (run.errors) throw new Error(`seeding failed: ${run.firstError}`);
  if (!items.next().done) throw new Error(`seeding left items unwritten: the tenant has more than ${total}`);
  const ms = performance.now() - start;
  const settleStart = performance.now();
  // The search indexer works through every seeded profile (the --count-requests proxy reads each
  // BatchWriteItem's items before and after): about 100 records a second here, 25 minutes for 150,000.
  await settleFully(apiUrl, SETTLE_ATTEMPTS);
  return { items: total, ms, settleMs: performance.now() - settleStart };
}

/** Attribute names of a stored item, the ones `pattern` picks. */
async function storedNames(dynamo: DynamoDBClient, tableName: string, key: { PK: string; SK: string }, pattern: RegExp): Promise<string> {
  const got = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: marshall(key), ConsistentRead: true }));
  if (!got.Item) throw new Error(`no item at ${key.PK} / ${key.SK}`);
  return names(got.Item, pattern);
}

const names = (item: object, pattern: RegExp) => Object.keys(item).filter((k) => pattern.test(k)).sort().join(',');
const KEY_NAMES = /^(PK|SK|GSI\d+(PK|SK)|entity)$/;
const ANY_NAME = /./;

/**
 * A seeded profile must carry the key and index attributes the API writes, or it would not be in
 * the lists and indexes a real tenant has; a seeded guard must be the API's guard, attribute for attribute.
 */
async function checkSeededShapes(api: Api, dynamo: DynamoDBClient, tableName: string, admin: string): Promise<void> {
  const email = 'shape-check@privacy.example';
  const customer = await api.json('POST', '/customers', admin, { name: 'Shape Check', emails: [email] });
  const lead = await api.json('POST', '/leads', admin, { name: 'Shape Check', email: 'shape-lead@privacy.example', company: 'Shape Ltd' });
  const nowIso = new Date().toISOString();
  const [seededProfile, seededGuard] = customerItems(tableName, LARGE_TENANT, '01JSHAPE0000000000000000C1', 'shape-seeded@privacy.example', nowIso);
  const [seededLead, seededLeadGuard] = leadItems(LARGE_TENANT, '01JSHAPE0000000000000000L1', 'shape-seeded@privacy.example', nowIso);
  const pairs: [string, string, string][] = [
    ['customer profile', await storedNames(dynamo, tableName, keys.customer(LARGE_TENANT, String(customer.id)), KEY_NAMES), names(seededProfile!, KEY_NAMES)],
    ['customer email guard', await storedNames(dynamo, tableName, keys.uniqueGuard(LARGE_TENANT, 'email', email), ANY_NAME), names(seededGuard!, ANY_NAME)],
    ['lead profile', await storedNames(dynamo, tableName, keys.lead(LARGE_TENANT, String(lead.id)), KEY_NAMES), names(seededLead!, KEY_NAMES)],
    ['lead email guard', await storedNames(dynamo, tableName, keys.leadGuard(LARGE_TENANT, 'email', 'shape-lead@privacy.example'), ANY_NAME), names(seededLeadGuard!, ANY_NAME)],
  ];
  for (const [what, viaApi, seeded] of pairs) if (viaApi !== seeded) throw new Error(`a seeded ${what} carries [${seeded}], the API writes [${viaApi}]`);
}

/** The person of test/integration/privacy/privacy-requests.test.ts, through the API; settled so the contact is in the search index. */
async function setUpPerson(api: Api, admin: string, n: number): Promise<Person> {
  const email = `jane.privacy${n}@example.com`;
  const phone = `+49 30 7${String(n).padStart(7, '0')}`;
  const name = `Jane Privacy${n}`;
  const lead = await api.json('POST', '/leads', admin, { name, email, phone, message: `Call me, ${name}` });
  const customer = await api.json('POST', '/customers', admin, { kind: 'person', name, emails: [email], phones: [phone] });
  const company = await api.json('POST', '/customers', admin, { kind: 'company', name: `Northwind ${n} Ltd` });
  const contact = await api.json('POST', `/customers/${company.id}/contacts`, admin, { name, title: 'Buyer', emails: [email], phones: [phone] });
  await api.json('POST', '/suppressions', admin, { email });
  await api.json('POST', '/_local/settle', undefined);
  return { email, customerId: String(customer.id), companyId: String(company.id), contactId: String(contact.id), leadId: String(lead.id) };
}

/** Settle, reset the counter, do the work, read what it sent to DynamoDB. */
async function counted(api: Api, work: () => Promise<Response>): Promise<{ response: Response; count: Count }> {
  await api.json('POST', '/_local/settle', undefined);
  await api.json('POST', '/_local/dynamodb-requests/reset', undefined);
  const response = await work();
  const operations = (await api.json('GET', '/_local/dynamodb-requests', undefined)).operations as Operations;
  const perOperation: Record<string, number> = Object.fromEntries(Object.entries(operations).map(([op, c]): [string, number] => [op, c.requests]).sort(([a], [b]) => a.localeCompare(b)));
  return { response, count: { total: Object.values(perOperation).reduce((s, n) => s + n, 0), operations: perOperation } };
}

const ONE_OF_EACH = { customers: 1, contacts: 1, leads: 1, suppression: 1 };
const sameCounts = (counts: Record<string, number> | undefined) => JSON.stringify(counts) === JSON.stringify(ONE_OF_EACH);

async function exportProblems(response: Response, what: string): Promise<string[]> {
  const body = (await response.json()) as { request?: RequestView };
  if (response.status !== 201) return [`${what}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`];
  if (body.request?.status !== 'completed' || !sameCounts(body.request.counts)) return [`${what}: ${body.request?.status}, found ${JSON.stringify(body.request?.counts)}`];
  return [];
}

/** The erasure is only a measurement if it erased: the request completed and the records answer as erased. */
async function erasureProblems(api: Api, admin: string, person: Person, response: Response, what: string): Promise<string[]> {
  const body = (await response.json()) as { request?: RequestView };
  if (response.status !== 201) return [`${what}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`];
  const problems = body.request?.status === 'completed' && sameCounts(body.request.counts) ? [] : [`${what}: ${body.request?.status}, found ${JSON.stringify(body.request?.counts)}`];
  const expected: [string, number][] = [
    [`/customers/${person.customerId}`, 410],
    [`/leads/${person.leadId}`, 410],
    [`/customers/${person.companyId}/contacts/${person.contactId}`, 404],
    [`/customers/${person.companyId}`, 200],
  ];
  for (const [path, status] of expected) {
    const got = (await api.send('GET', path, admin)).status;
    if (got !== status) problems.push(`${what}: GET ${path} answered ${got}, expected ${status}`);
  }
  return problems;
}

/** The request's own count: the repetition no stream consumer added to. */
const fewest = (counts: Count[]): Count => counts.reduce((a, b) => (b.total < a.total ? b : a));
const breakdown = (count: Count) => Object.entries(count.operations).map(([op, n]) => `${op} ${n}`).join(', ');
const sameCount = (a: Count, b: Count) => a.total === b.total && breakdown(a) === breakdown(b);

function outcome(size: typeof FULL_SIZE, seeding: Seeding, tableItems: number, large: TenantRun, small: TenantRun): BenchmarkOutcome {
  const requests = (['export', 'erasure'] as RequestKind[]).map((kind) => ({ kind, large: fewest(large[kind]), small: fewest(small[kind]) }));
  const problems = [...large.problems, ...small.problems];
  const itemsPerSec = seeding.items / (seeding.ms / 1000);
  const row = (run: TenantRun, label: string, kind: RequestKind) => {
    const count = fewest(run[kind]);
    return [kind, label, String(count.total), run[kind].map((c) => c.total).join(', '), breakdown(count)];
  };
  return {
    figures: {
      tenant: size,
      repeats: REPEATS,
      seed: { items: seeding.items, ms: Math.round(seeding.ms), itemsPerSec: Math.round(itemsPerSec), settleMs: Math.round(seeding.settleMs) },
      tableItems,
      requests: Object.fromEntries(requests.map((r) => [r.kind, { large: r.large, small: r.small }])),
      repetitions: { large: { export: large.export, erasure: large.erasure }, small: { export: small.export, erasure: small.erasure } },
      problems,
    },
    tables: [
      {
        title: 'DynamoDB requests of one privacy request by email (fewest of the repetitions; per operation)',
        columns: ['request', 'tenant', 'requests', 'each repetition', 'per operation'],
        rows: [
          row(large, `${size.customers.toLocaleString('en-US')} customers, ${size.leads.toLocaleString('en-US')} leads`, 'export'),
          row(small, 'empty', 'export'),
          row(large, `${size.customers.toLocaleString('en-US')} customers, ${size.leads.toLocaleString('en-US')} leads`, 'erasure'),
          row(small, 'empty', 'erasure'),
        ],
      },
      {
        title: 'The large tenant',
        columns: ['figure', 'value'],
        rows: [
          ['items seeded (profiles and email guards)', seeding.items.toLocaleString('en-US')],
          ['seeding (BatchWriteItem, items/s)', String(Math.round(itemsPerSec))],
          ['seeding, then settling the stream (s)', `${fmt(seeding.ms / 1000, 1)}, ${fmt(seeding.settleMs / 1000, 1)}`],
          ['items in the table (DescribeTable, search index included)', tableItems.toLocaleString('en-US')],
        ],
      },
    ],
    reach: [
      ...requests.map((r) => ({
        subject: `privacy: ${r.kind} by email, requests in the large tenant = in an empty one`,
        target: `= ${r.small.total} (${breakdown(r.small)})`,
        actual: `${r.large.total} (${breakdown(r.large)})`,
        met: sameCount(r.large, r.small),
      })),
      {
        subject: 'privacy: every request found the person (1 customer, 1 contact, 1 lead, suppressed) and every erasure erased them',
        target: `${2 * REPEATS} requests per tenant, 0 problems`,
        actual: problems.length ? problems.join('; ') : '0 problems',
        met: problems.length === 0 && [large, small].every((run) => run.export.length === REPEATS && run.erasure.length === REPEATS),
      },
    ],
    notes: [
      `The large tenant: ${size.customers.toLocaleString('en-US')} customers and ${size.leads.toLocaleString('en-US')} leads written straight into DynamoDB Local with the items POST /customers and POST /leads write (\`newProfilePut\`, \`guardPut\`, \`leadProfileItem\`, \`leadGuardItems\`): each profile with its email guard; checked against a customer and a lead created through the API. The stream then indexed them for search, so the index the contact lookup reads is a full tenant's.`,
      `Per tenant ${REPEATS} people, each set up through the API as in test/integration/privacy/privacy-requests.test.ts (a customer with the email and a phone, a contact holding both at a company customer, a lead, a suppression entry), then an export and an erasure by email, each after a settle and a reset of the request counter. The counter counts every handler, the stream consumers included: one whose poll falls inside an erasure adds requests, so the fewest of the repetitions is the request's own count ("each repetition" shows the spread).`,
      'The erasure is by email only; docs/privacy.md\'s 43 requests are for an erasure by email and phone (one more lookup Query, and the phone guards).',
    ],
  };
}
