import { randomInt } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { rawTable as db, stack } from '../client';

/** What the privacy tests look for in the whole table, raw. */

type Item = Record<string, unknown>;

/** The whole table, raw: a Scan is fine in a test (never on a request path). */
export async function everyItem(): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new ScanCommand({ TableName: stack().tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Items anywhere in the table in which any of these strings appears (keys included, any case). */
export async function itemsMentioning(...needles: string[]): Promise<Item[]> {
  const lower = needles.map((n) => n.toLowerCase());
  return (await everyItem()).filter((item) => lower.some((n) => JSON.stringify(item).toLowerCase().includes(n)));
}

/** A phone nobody else uses: as typed, and as stored (E.164). */
export function uniquePhone() {
  const digits = String(randomInt(10_000_000, 99_999_999));
  return { typed: `+49 30 ${digits}`, stored: `+4930${digits}` };
}
