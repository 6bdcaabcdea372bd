import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { putAtVersion } from '../aws/put-at-version';
import { keys } from '../keys';
import { type Automation, AutomationLimitReached, AutomationNotFound, MAX_AUTOMATIONS, StaleAutomation } from './automation';
import { AutomationReader, toItem } from './automation-trigger-repository';

export type { AutomationTrigger } from './automation-trigger-repository';

/**
 * A tenant's automations in one partition (`T#<t>#AUTOMATIONS`, `AUTO#<id>`) with a counter item
 * (`$COUNT`) that caps how many there are: create and delete change both in one transaction.
 */
export class AutomationRepository extends AutomationReader {
  /** The automation if its id is new, and the counter if below the cap; both checked at commit, so concurrent creates at the cap cannot both win. */
  async create(automation: Automation): Promise<void> {
    try {
      await transactWrite(this.db, [
        { name: 'automation', put: { TableName: this.tableName, Item: toItem(automation), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          name: 'counter',
          update: {
            TableName: this.tableName,
            Key: keys.automationCounter(automation.tenantId),
            UpdateExpression: 'SET #entity = :entity ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#entity': 'entity', '#count': 'count' },
            ExpressionAttributeValues: { ':entity': 'AutomationCounter', ':one': 1, ':max': MAX_AUTOMATIONS },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('counter')) throw new AutomationLimitReached(MAX_AUTOMATIONS);
      throw error;
    }
  }

  /** Replaces the automation if it is still at `expectedVersion`: two edits of one version cannot both win. */
  async replace(automation: Automation, expectedVersion: number): Promise<void> {
    const result = await putAtVersion(this.db, this.tableName, toItem(automation), expectedVersion);
    if (result.written) return;
    if (result.currentVersion === undefined) throw new AutomationNotFound(automation.id);
    throw new StaleAutomation(result.currentVersion);
  }

  /** Deletes the automation, its statistics, and gives its slot back, in one transaction; AutomationNotFound when there is none. */
  async delete(tenantId: string, automationId: string): Promise<void> {
    try {
      await transactWrite(this.db, [
        { name: 'automation', delete: { TableName: this.tableName, Key: keys.automation(tenantId, automationId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          name: 'counter',
          update: {
            TableName: this.tableName,
            Key: keys.automationCounter(tenantId),
            UpdateExpression: 'ADD #count :minusOne',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':minusOne': -1 },
          },
        },
        { name: 'stats', delete: { TableName: this.tableName, Key: keys.automationStats(tenantId, automationId) } },
      ]);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('automation')) throw new AutomationNotFound(automationId);
      throw error;
    }
  }
}
