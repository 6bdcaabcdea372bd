import { createReadStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Customer } from '../customers/customer';

/**
 * The customers of one export run, spooled to a local JSON lines file as they are read: a CSV's
 * header names every consent topic, which only the last customer may reveal, so the file is
 * written in a second pass over the spool rather than by holding every customer in memory.
 */
export class CustomerSpool {
  private count = 0;
  private readonly topics = new Set<string>();

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(dir: string, name: string): Promise<CustomerSpool> {
    const path = join(dir, `export-${name}.jsonl`);
    return new CustomerSpool(path, await open(path, 'w'));
  }

  get size(): number {
    return this.count;
  }

  /** Every consent topic a spooled customer has a record for. */
  get consentTopics(): string[] {
    return [...this.topics];
  }

  async add(customers: readonly Customer[]): Promise<void> {
    if (customers.length === 0) return;
    for (const customer of customers) for (const topic of Object.keys(customer.consent ?? {})) this.topics.add(topic);
    await this.handle.write(customers.map((c) => `${JSON.stringify(c)}\n`).join(''));
    this.count += customers.length;
  }

  /** The spooled customers in the order they were added. */
  async *read(): AsyncGenerator<Customer> {
    const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as Customer;
  }

  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
