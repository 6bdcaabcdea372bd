import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** One accepted event and the deliveries it owes, as the log keeps it. */
export interface LoggedRecord {
  /** Order of acceptance; an event delivered again (redeliver) is a new record with the same event. */
  seq: number;
  event: Record<string, unknown>;
  eventBusName: string;
  matchedRules: string[];
  deliveries: LoggedDelivery[];
}

export interface LoggedDelivery {
  rule: string;
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  error?: string;
  /** When a failed delivery gave up (its dead letter's time). */
  at?: string;
}

type Line = { kind: 'event'; record: LoggedRecord } | { kind: 'outcome'; seq: number; index: number; status: 'delivered' | 'failed'; attempts: number; error?: string; at?: string };

/**
 * The local bus's write-ahead log, an append-only JSON-lines file in the data dir: an event is
 * written (with the deliveries it owes) before PutEvents answers, and each delivery's outcome
 * when it ends. A restart replays the file: what was delivered shows again in
 * `GET /_local/events`, and deliveries without an outcome are made again (at least once, as
 * EventBridge retries). Appends are synchronous writes, so a killed process loses none it
 * acknowledged (the OS holds them; a power cut is not this log's concern).
 */
export class BusLog {
  private lines = 0;

  constructor(
    private readonly file: string,
    /** How many settled records a compaction keeps; pending ones are always kept. */
    private readonly keep = 1000,
  ) {}

  /** The records in the file, outcomes applied, oldest first; then rewrites the file compactly. */
  restore(): LoggedRecord[] {
    if (!existsSync(this.file)) return [];
    const records = new Map<number, LoggedRecord>();
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue; // the torn last line of a crash mid-append: that call never answered
      }
      if (line.kind === 'event') records.set(line.record.seq, line.record);
      else {
        const delivery = records.get(line.seq)?.deliveries[line.index];
        if (delivery) Object.assign(delivery, { status: line.status, attempts: line.attempts, error: line.error, at: line.at });
      }
    }
    const all = [...records.values()].sort((a, b) => a.seq - b.seq);
    const settled = all.filter((r) => r.deliveries.every((d) => d.status !== 'pending'));
    const dropped = new Set(settled.slice(0, Math.max(0, settled.length - this.keep)));
    const kept = all.filter((r) => !dropped.has(r));
    this.rewrite(kept);
    return kept;
  }

  appendEvent(record: LoggedRecord): void {
    this.append({ kind: 'event', record });
  }

  appendOutcome(seq: number, index: number, delivery: LoggedDelivery): void {
    if (delivery.status === 'pending') return;
    this.append({ kind: 'outcome', seq, index, status: delivery.status, attempts: delivery.attempts, error: delivery.error, at: delivery.at });
  }

  /** Written whole and renamed into place: a crash leaves the old file or the new one. */
  rewrite(records: LoggedRecord[]): void {
    writeFileSync(`${this.file}.tmp`, records.map((record) => `${JSON.stringify({ kind: 'event', record } satisfies Line)}\n`).join(''));
    renameSync(`${this.file}.tmp`, this.file);
    this.lines = records.length;
  }

  /** Lines written since the last rewrite: the bus compacts when this grows large. */
  get length(): number {
    return this.lines;
  }

  private append(line: Line): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    this.lines += 1;
  }
}
