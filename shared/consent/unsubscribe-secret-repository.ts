import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/dynamodb';
import { keys } from '../keys';
import { ENV, optionalEnv } from '../runtime-env';

/** The fixed secret of the local runtime (`npm start`, tests): links it signs are worthless elsewhere. */
export const LOCAL_UNSUBSCRIBE_SECRET = 'local-unsubscribe-secret-not-for-any-deployed-stage';

/** What the store behind the secret must offer (the table in AWS; a fake in tests). */
export interface SecretStore {
  /** The stored value, or undefined when there is none yet (strongly consistent). */
  get(): Promise<string | undefined>;
  /** Stores it if there is none; false when one exists already (never overwrites). */
  create(value: string): Promise<boolean>;
}

let cached: Promise<string> | undefined;

/**
 * The stage's unsubscribe signing secret, read once per container. In AWS it is an item of the
 * table (`keys.unsubscribeSigningKey`) that the first function needing it creates with 64 random
 * characters, under `attribute_not_exists` so that two first callers end up with the same one,
 * and that nothing overwrites (decision 56). The local runtime (stage `local`) uses
 * LOCAL_UNSUBSCRIBE_SECRET; a deployed stage never does.
 */
export function unsubscribeSecret(): Promise<string> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined; // a failed read (throttled, network) is tried again on the next request
    throw error;
  });
  return cached;
}

async function load(): Promise<string> {
  if (optionalEnv(ENV.stage) === 'local') return LOCAL_UNSUBSCRIBE_SECRET;
  const tableName = optionalEnv(ENV.tableName);
  if (!tableName) throw new Error(`Missing environment variable ${ENV.tableName}`);
  return getOrCreateSecret(tableSecretStore(documentClient, tableName));
}

/** The stored secret, created with a fresh random value if there is none yet. */
export async function getOrCreateSecret(store: SecretStore, generate: () => string = newSecret): Promise<string> {
  const existing = await store.get();
  if (existing) return existing;
  await store.create(generate());
  // Read back rather than trust our value: whoever created it first, this is what every container signs with.
  const stored = await store.get();
  if (!stored) throw new Error('The unsubscribe secret could be neither created nor read');
  return stored;
}

/** 64 characters from 384 random bits (base64url), as long as the Secrets Manager secret it replaces. */
function newSecret(): string {
  return randomBytes(48).toString('base64url');
}

export function tableSecretStore(db: DynamoDBDocumentClient, tableName: string): SecretStore {
  const key = keys.unsubscribeSigningKey();
  return {
    async get() {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return typeof Item?.secret === 'string' && Item.secret ? Item.secret : undefined;
    },
    async create(value) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, entity: 'UnsubscribeSigningKey', secret: value, createdAt: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
