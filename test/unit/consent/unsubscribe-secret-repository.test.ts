import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { getOrCreateSecret, type SecretStore, tableSecretStore } from '../../../shared/consent/unsubscribe-secret-repository';

/** A store that takes a value once, like the conditional put on the table. */
function memoryStore(initial?: string, onCreate?: (values: Map<string, string>) => void) {
  const values = new Map(initial ? [[NAME, initial]] : []);
  const calls: string[] = [];
  const store: SecretStore = {
    async get() {
      calls.push('get');
      return values.get(NAME);
    },
    async create(value) {
      calls.push('create');
      onCreate?.(values);
      if (values.has(NAME)) return false;
      values.set(NAME, value);
      return true;
    },
  };
  return { store, values, calls };
}

const NAME = 'secret';

describe('getOrCreateSecret', () => {
  it('returns the stored secret without creating one', async () => {
    const { store, calls } = memoryStore('kept');
    expect(await getOrCreateSecret(store, () => 'new')).toBe('kept');
    expect(calls).toEqual(['get']);
  });

  it('creates the secret when there is none, and returns what is stored', async () => {
    const { store, values } = memoryStore();
    expect(await getOrCreateSecret(store, () => 'fresh')).toBe('fresh');
    expect(values.get(NAME)).toBe('fresh');
  });

  it('returns the secret another container created first, never its own', async () => {
    const { store, values } = memoryStore(undefined, (v) => v.set(NAME, 'theirs'));
    expect(await getOrCreateSecret(store, () => 'mine')).toBe('theirs');
    expect(values.get(NAME)).toBe('theirs');
  });

  it('generates 64 characters from a strong source by default, different each time', async () => {
    const first = await getOrCreateSecret(memoryStore().store);
    const second = await getOrCreateSecret(memoryStore().store);
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(second).not.toBe(first);
  });

  it('fails when the secret can be neither created nor read', async () => {
    const store: SecretStore = { get: async () => undefined, create: async () => false };
    await expect(getOrCreateSecret(store)).rejects.toThrow(/could be neither created nor read/);
  });
});

describe('the secret in the table', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const store = () => tableSecretStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
  const KEY = { PK: 'SYSTEM#UNSUBSCRIBE_KEY', SK: 'SECRET' };
  beforeEach(() => ddb.reset());

  it('is read strongly consistent from its own item', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...KEY, secret: 's3cret' } });
    expect(await store().get()).toBe('s3cret');
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'crm-table', Key: KEY, ConsistentRead: true });
  });

  it('is created only where there is none, and a lost race answers false', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await store().create('fresh')).toBe(true);
    expect(await store().create('late')).toBe(false);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ TableName: 'crm-table', Item: { ...KEY, secret: 'fresh' }, ConditionExpression: 'attribute_not_exists(PK)' });
  });
});
