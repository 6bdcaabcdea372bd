import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock';
import { keys, TTL_ATTRIBUTE } from '../keys';

/** A run's digest markers only need to outlive the run and its retries. */
const DIGEST_MARKER_TTL_SECONDS = 7 * 24 * 3600;

/**
 * "This run's digest to this rep", claimed before the mail goes out (reclaim-digest-use-case.ts). Apart
 * from the sweep's repository so that the digest task, which needs only these two writes, does
 * not load the sweep's profile and policy code at init.
 */
export class DigestMarkers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Claims the marker (`$DONE#reclaim-digest#<run>` in the rep's partition); false if already claimed. */
  async claimDigest(tenantId: string, ownerId: string, runId: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.digestMarker(tenantId, ownerId, runId),
            entity: 'SideEffect',
            status: 'claimed',
            claimedAt: clock.nowIso(),
            [TTL_ATTRIBUTE]: clock.epochSeconds() + DIGEST_MARKER_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseDigest(tenantId: string, ownerId: string, runId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: this.digestMarker(tenantId, ownerId, runId) }));
  }

  private digestMarker(tenantId: string, ownerId: string, runId: string) {
    return keys.sideEffect(keys.user(tenantId, ownerId).PK, `reclaim-digest#${runId}`);
  }
}
