import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntryChanges } from '../../../shared/search/search-entry';
import type { SearchIndexRepository } from '../../../shared/search/search-index-repository';
import { backfillSearchIndex, indexSearchRecords } from '../../../shared/search/search-indexer-use-case';

type Item = Record<string, unknown>;

/** The repository's side of the indexer, in memory: the profile and inner records it reads, the writes it gets. */
class FakeIndex {
  writes: EntryChanges[] = [];
  reads: string[] = [];
  failOnWrite = false;
  constructor(
    public profileItem: Item | undefined,
    public inner: Item[] = [],
  ) {}
  async profile() {
    this.reads.push('profile');
    return this.profileItem;
  }
  async recordsOf() {
    this.reads.push('records');
    return this.inner;
  }
  async write(changes: EntryChanges) {
    if (this.failOnWrite) throw new Error('throttled');
    this.writes.push(changes);
  }
}

let sequence = 0;
function streamRecord(keys: { PK: string; SK: string }, oldImage?: Item, newImage?: Item): DynamoDBRecord {
  const image = (item?: Item) => (item ? (marshall({ ...keys, ...item }, { removeUndefinedValues: true }) as never) : undefined);
  return {
    eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
    dynamodb: { Keys: marshall(keys) as never, OldImage: image(oldImage), NewImage: image(newImage), SequenceNumber: String(++sequence) },
  };
}

const PROFILE = { PK: 'T#t1#C#C1', SK: 'PROFILE' };
const customer = (over: Item = {}) => ({ id: 'C1', name: 'Northwind Traders', emails: [], phones: [], domain: null, ownerId: 'rep-1', teamId: 'team-a', ...over });
const contactKeys = { PK: 'T#t1#C#C1', SK: 'CONTACT#K1' };
const contact = (over: Item = {}) => ({ id: 'K1', customerId: 'C1', name: 'Grace Hopper', title: null, emails: [], phones: [], ...over });
const sks = (changes: EntryChanges[]) => ({ put: changes.flatMap((c) => c.put.map((e) => e.SK)).sort(), remove: changes.flatMap((c) => c.remove.map((k) => k.SK)).sort() });
const asRepo = (fake: FakeIndex) => fake as unknown as SearchIndexRepository;

beforeEach(() => {
  process.env.CRM_LOG_LEVEL = 'silent';
});

describe('indexSearchRecords', () => {
  it('puts a new customer\'s words once it has read that the profile is still live', async () => {
    const fake = new FakeIndex({ ...PROFILE, ...customer() });
    await indexSearchRecords([streamRecord(PROFILE, undefined, customer())], asRepo(fake));
    expect(sks(fake.writes)).toEqual({ put: ['northwind#name#customer#C1', 'traders#name#customer#C1'], remove: [] });
    expect(fake.reads).toEqual(['profile']);
  });

  it('reads nothing for a change of no searchable field', async () => {
    const fake = new FakeIndex({ ...PROFILE, ...customer() });
    await indexSearchRecords([streamRecord(PROFILE, customer(), customer({ region: 'APAC' }))], asRepo(fake));
    expect(fake.reads).toEqual([]);
  });

  it('brings nothing back from an older change read after the customer was erased: its old words only go', async () => {
    const fake = new FakeIndex({ ...PROFILE, id: 'C1', erasedAt: '2026-12-06T00:00:00.000Z' });
    await indexSearchRecords([streamRecord(PROFILE, customer(), customer({ name: 'Northwind Partners' }))], asRepo(fake));
    expect(sks(fake.writes)).toEqual({ put: [], remove: ['northwind#name#customer#C1', 'traders#name#customer#C1'] });
  });

  it('replaces the old word on a rename', async () => {
    const fake = new FakeIndex({ ...PROFILE, ...customer({ name: 'Northwind Partners' }) });
    await indexSearchRecords([streamRecord(PROFILE, customer(), customer({ name: 'Northwind Partners' }))], asRepo(fake));
    expect(sks(fake.writes).remove).toEqual(['traders#name#customer#C1']);
    expect(sks(fake.writes).put).toContain('partners#name#customer#C1');
  });

  it('removes a merged customer and every contact inside it', async () => {
    const fake = new FakeIndex(undefined, [{ ...contactKeys, ...contact() }]);
    await indexSearchRecords([streamRecord(PROFILE, customer(), { id: 'C1', mergedInto: 'C2' })], asRepo(fake));
    expect(sks(fake.writes)).toEqual({ put: [], remove: ['grace#name#contact#C1#K1', 'hopper#name#contact#C1#K1', 'northwind#name#customer#C1', 'traders#name#customer#C1'] });
  });

  it('moves the contacts along with a new owner', async () => {
    const fake = new FakeIndex(undefined, [{ ...contactKeys, ...contact() }]);
    await indexSearchRecords([streamRecord(PROFILE, customer(), customer({ ownerId: 'rep-2', teamId: 'team-b' }))], asRepo(fake));
    const contactItems = fake.writes.flatMap((c) => c.put).filter((e) => e.type === 'contact');
    expect(contactItems.map((e) => [e.SK, e.ownerId, e.teamId])).toEqual([
      ['grace#name#contact#C1#K1', 'rep-2', 'team-b'],
      ['hopper#name#contact#C1#K1', 'rep-2', 'team-b'],
    ]);
  });

  it('indexes a contact under its company\'s readers, and not at all under a dead company', async () => {
    const live = new FakeIndex({ ...PROFILE, ...customer() });
    await indexSearchRecords([streamRecord(contactKeys, undefined, contact())], asRepo(live));
    expect(live.writes[0]!.put.map((e) => e.ownerId)).toEqual(['rep-1', 'rep-1']);
    const erased = new FakeIndex({ ...PROFILE, id: 'C1', erasedAt: '2026-01-01T00:00:00Z' });
    await indexSearchRecords([streamRecord(contactKeys, contact(), contact({ name: 'Grace B. Hopper' }))], asRepo(erased));
    expect(sks(erased.writes)).toEqual({ put: [], remove: ['grace#name#contact#C1#K1', 'hopper#name#contact#C1#K1'] });
  });

  it('ignores other items of a partition and other partitions\' profiles (the user directory)', async () => {
    const fake = new FakeIndex(undefined);
    await indexSearchRecords(
      [streamRecord({ PK: 'T#t1#C#C1', SK: 'ACT#2026#A1' }, undefined, { subject: 'x' }), streamRecord({ PK: 'T#t1#USER#u1', SK: 'PROFILE' }, undefined, { name: 'Some User' })],
      asRepo(fake),
    );
    expect(fake.writes).toEqual([]);
  });

  it('reports the failed record and every later one, so Lambda retries in order from there', async () => {
    const fake = new FakeIndex(undefined);
    fake.failOnWrite = true;
    const records = [streamRecord({ PK: 'T#t1#C#C1', SK: 'ACT#x' }, undefined, {}), streamRecord(PROFILE, undefined, customer()), streamRecord(PROFILE, customer(), customer({ name: 'X Y' }))];
    const result = await indexSearchRecords(records, asRepo(fake));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([records[1]!.dynamodb!.SequenceNumber, records[2]!.dynamodb!.SequenceNumber]);
  });
});

describe('backfillSearchIndex', () => {
  it('indexes existing profiles, contacts and leads as if just inserted, and skips other items', async () => {
    const fake = new FakeIndex({ ...PROFILE, ...customer() });
    const result = await backfillSearchIndex(
      [
        { ...PROFILE, ...customer() },
        { ...contactKeys, ...contact() },
        { PK: 'T#t1#L#L1', SK: 'PROFILE', id: 'L1', name: 'Ada Lovelace', email: null, phone: null, company: null, domain: null, status: 'new', ownerId: null, teamId: null },
        { PK: 'T#t1#C#C1', SK: 'ACT#2026#A1', subject: 'Call' },
      ],
      asRepo(fake),
    );
    expect(result).toEqual({ read: 4 });
    expect(sks(fake.writes)).toEqual({
      put: ['ada#name#lead#L1', 'grace#name#contact#C1#K1', 'hopper#name#contact#C1#K1', 'lovelace#name#lead#L1', 'northwind#name#customer#C1', 'traders#name#customer#C1'],
      remove: [],
    });
  });
});
