import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { backfill } from './backfill';

/**
 * `npm run backfill -- --table crm-prod-stateful-Table... [--endpoint URL]`: the one-off backfills
 * of docs/operations.md, with the operator's own credentials (no function may Scan the table).
 */
const { values } = parseArgs({ options: { table: { type: 'string' }, endpoint: { type: 'string' } } });
if (!values.table) {
  console.error('Usage: npm run backfill -- --table <table name> [--endpoint <DynamoDB endpoint, e.g. the local one>]');
  process.exit(2);
}
const db = DynamoDBDocumentClient.from(new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {}), { marshallOptions: { removeUndefinedValues: true } });
const report = await backfill(db, values.table, (line) => console.log(line));
console.log(JSON.stringify(report));
db.destroy();
