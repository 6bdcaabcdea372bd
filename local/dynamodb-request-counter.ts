import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Operations that can report ConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
]);

export interface OperationCount {
  requests: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

/**
 * A transparent proxy in front of DynamoDB Local that counts the handlers' requests per operation
 * and sums the capacity DynamoDB Local reports for them (it asks for ReturnConsumedCapacity TOTAL
 * on every request that supports it). Opt-in (`npm start -- --count-requests`), for tests and
 * benchmarks that must count requests rather than estimate them.
 */
export class DynamoDbRequestCounter {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly counts: Map<string, OperationCount>,
  ) {}

  static async start(target: string): Promise<DynamoDbRequestCounter> {
    const upstream = new URL(target);
    const counts = new Map<string, OperationCount>();
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? 'Unknown';
      let body = Buffer.concat(chunks);
      if (CAPACITY_OPERATIONS.has(operation)) {
        const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        body = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      }
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, 'content-length': String(body.length) } },
        async (upstreamRes) => {
          const out: Buffer[] = [];
          for await (const chunk of upstreamRes) out.push(chunk as Buffer);
          const payload = Buffer.concat(out);
          record(counts, operation, payload);
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers).end(payload);
        },
      );
      forward.on('error', (error) => res.writeHead(502).end(String(error)));
      forward.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new DynamoDbRequestCounter(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts);
  }

  snapshot(): Record<string, OperationCount> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

}

/** Counts one request and the capacity DynamoDB Local reported for it. */
function record(counts: Map<string, OperationCount>, operation: string, responseBody: Buffer): void {
  const count = counts.get(operation) ?? { requests: 0, readCapacityUnits: 0, writeCapacityUnits: 0 };
  count.requests += 1;
  try {
    const parsed = JSON.parse(responseBody.toString('utf8') || '{}') as { ConsumedCapacity?: (Capacity & { Table?: Capacity })[] | Capacity };
    const consumed = Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : parsed.ConsumedCapacity ? [parsed.ConsumedCapacity] : [];
    for (const c of consumed) {
      // TOTAL gives CapacityUnits; reads and writes are told apart by the operation.
      const units = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
      if (/^(Get|Query|Scan|BatchGet|TransactGet)/.test(operation)) count.readCapacityUnits += units;
      else count.writeCapacityUnits += units;
    }
  } catch {
    // an error body without capacity: the request still counts
  }
  counts.set(operation, count);
}
