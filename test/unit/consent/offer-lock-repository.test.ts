import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { OfferLockRepository } from '../../../shared/consent/offer-lock-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const locks = () => new OfferLockRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const NOW = '2026-11-23T12:00:00.000Z';
const LATER = '2026-11-30T12:00:00.000Z';
const lostRace = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: item ? (marshall(item) as never) : undefined });

beforeEach(() => ddb.reset());

describe('OfferLockRepository', () => {
  it('acquires with one Put conditional on absent, same offer or expired, with the TTL at the end', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await locks().acquireOfferLock('acme', 'c-1', 'o-1', LATER, NOW)).toEqual({ acquired: true, until: LATER });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { PK: 'T#acme#C#c-1', SK: '$MKT#OFFER', offerId: 'o-1', until: LATER, expiresAt: Date.parse(LATER) / 1000 },
      ConditionExpression: 'attribute_not_exists(PK) OR offerId = :offer OR #until <= :now',
      ExpressionAttributeValues: { ':offer': 'o-1', ':now': NOW },
    });
  });

  it('names the offer holding the customer when the condition fails', async () => {
    ddb.on(PutCommand).rejects(lostRace({ PK: 'T#acme#C#c-1', SK: '$MKT#OFFER', offerId: 'o-2', until: LATER }));
    expect(await locks().acquireOfferLock('acme', 'c-1', 'o-1', LATER, NOW)).toEqual({ acquired: false, heldBy: 'o-2', until: LATER });
  });

  it('refuses an end in the past before writing', async () => {
    await expect(locks().acquireOfferLock('acme', 'c-1', 'o-1', NOW, NOW)).rejects.toBeInstanceOf(ValidationFailed);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('releases only its own lock', async () => {
    ddb.on(DeleteCommand).resolvesOnce({}).rejects(lostRace());
    expect(await locks().releaseOfferLock('acme', 'c-1', 'o-1')).toBe(true);
    expect(await locks().releaseOfferLock('acme', 'c-1', 'o-1')).toBe(false);
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({ ConditionExpression: 'offerId = :offer', ExpressionAttributeValues: { ':offer': 'o-1' } });
  });
});
