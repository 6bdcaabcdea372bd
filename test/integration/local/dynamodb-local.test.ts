import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../../local/dynamodb-local';

describe('DynamoDB Local', () => {
  it('fails at once, saying so, when its port is taken (the JVM exits instead of being waited on for 30 s)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as { port: number };
    const started = Date.now();
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(`Port ${port} was taken before DynamoDB Local bound it`);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      holder.close();
    }
  });

  it('takes another free port by itself when none is asked for', async () => {
    const dynamo = await startDynamoDbLocal({});
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(dynamo.endpoint).catch(() => undefined))?.status).toBeDefined();
    } finally {
      await dynamo.stop();
    }
  });
});
