import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** An execution that waits on a task token: what it takes to run it again after a restart. */
export interface WaitingExecution {
  token: string;
  stateMachineArn: string;
  name: string;
  input: unknown;
}

interface Waiter {
  execution: WaitingExecution;
  onAnswer?: () => void;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The task tokens of `.waitForTaskToken` states (aws-local-stepfunctions has none): a token is
 * minted when the state starts, the state waits until SendTaskSuccess or SendTaskFailure names it,
 * as in AWS. Waiting executions are written to `file`, so a restarted runtime can run its
 * resumable flows again (their tokens change then; the old ones answer TaskDoesNotExist, as an
 * expired token would in AWS).
 */
export class LocalTaskTokens {
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly file?: string) {}

  /** The executions a previous run left waiting, once; the file is cleared with it. */
  takeLeftOver(): WaitingExecution[] {
    if (!this.file || !existsSync(this.file)) return [];
    const left = JSON.parse(readFileSync(this.file, 'utf8')) as WaitingExecution[];
    this.save();
    return left;
  }

  /** A fresh token and the promise that settles when it is answered; `onAnswer` runs at once when it is. */
  mint(execution: Omit<WaitingExecution, 'token'>, onAnswer?: () => void): { token: string; answered: Promise<unknown> } {
    const token = `local-${randomBytes(24).toString('base64url')}`;
    const answered = new Promise<unknown>((resolve, reject) => {
      this.waiting.set(token, { execution: { ...execution, token }, resolve, reject, onAnswer });
    });
    this.save();
    return { token, answered };
  }

  succeed(token: string, output: unknown): void {
    this.take(token).resolve(output);
  }

  fail(token: string, error: string | undefined, cause: string | undefined): void {
    this.take(token).reject(Object.assign(new Error(cause ?? ''), { name: error ?? 'States.TaskFailed' }));
  }

  /** The execution ended (failed, timed out): its tokens can no longer be answered, as in AWS. */
  forgetExecution(name: string, stateMachineArn: string): void {
    let forgot = false;
    for (const [token, waiter] of this.waiting) {
      if (waiter.execution.name !== name || waiter.execution.stateMachineArn !== stateMachineArn) continue;
      this.waiting.delete(token);
      forgot = true;
    }
    if (forgot) this.save();
  }

  /** A token whose Lambda failed before it waited: nobody can answer it any more. */
  forget(token: string): void {
    if (this.waiting.delete(token)) this.save();
  }

  private take(token: string): Waiter {
    const waiter = this.waiting.get(token);
    if (!waiter) throw Object.assign(new Error('Task does not exist anymore'), { name: 'TaskDoesNotExist' });
    this.waiting.delete(token);
    this.save();
    waiter.onAnswer?.();
    return waiter;
  }

  private save(): void {
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.waiting.values()].map((w) => w.execution)));
    renameSync(temporary, this.file);
  }
}
