/**
 * Counts the asynchronous work the runtime has started (bus deliveries, flow executions, stream
 * batches) so tests and benchmarks can wait until everything caused by a request has happened.
 */
export class InFlight {
  private pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
