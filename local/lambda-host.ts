import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalFunction } from './wiring';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the functions of the template in this process: the module named by the function's
 * `crm:entry` metadata, its exported handler, with a Lambda-like context. The environment the
 * template gives the functions is applied before any handler module loads (their SDK clients
 * read it at load, as in Lambda).
 */
export class LambdaHost {
  private readonly modules = new Map<string, Promise<Handler>>();

  constructor(
    private readonly functions: Map<string, LocalFunction>,
    private readonly rootDir: string,
  ) {}

  /** One process hosts every function, so their variables must agree; the template makes them. */
  applyEnvironment(overrides: Record<string, string>): void {
    const merged: Record<string, string> = {};
    for (const fn of this.functions.values()) {
      for (const [key, value] of Object.entries(fn.environment)) {
        if (key in merged && merged[key] !== value) {
          throw new Error(`Functions disagree on ${key} (${merged[key]} vs ${value}); the local runtime hosts them in one process`);
        }
        merged[key] = value;
      }
    }
    Object.assign(process.env, merged, overrides);
  }

  has(functionName: string): boolean {
    return this.functions.has(functionName);
  }

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const fn = this.functions.get(functionName);
    if (!fn) throw new Error(`No local function ${functionName}`);
    const handler = await this.load(fn);
    const deadline = Date.now() + 30_000;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    return handler(event, context);
  }

  private load(fn: LocalFunction): Promise<Handler> {
    let loading = this.modules.get(fn.name);
    if (!loading) {
      loading = import(pathToFileURL(join(this.rootDir, fn.entry)).href).then((mod: Record<string, unknown>) => {
        const handler = mod[fn.handler];
        if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.handler}`);
        return handler as Handler;
      });
      this.modules.set(fn.name, loading);
    }
    return loading;
  }
}
