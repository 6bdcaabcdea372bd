import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';

export interface LocalStack {
  apiUrl: string;
  mailUrl: string;
  /** SES v2 as the handlers reach it: sends through it are logged, tagged and can be throttled. */
  sesEndpoint: string;
  dynamoDbEndpoint: string;
  tableName: string;
  /** The S3 stand-in: any bucket name works there. */
  s3Endpoint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: LocalStack;
  }
}

let child: ChildProcess | undefined;

/**
 * Starts the local runtime the way `npm start` does (in memory, on free ports) once for the whole
 * integration suite; tests reach it over HTTP only, so the same tests can target a deployed stage.
 */
export async function setup(project: TestProject): Promise<void> {
  child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--memory', '--port', '0', '--json', '--count-requests', '--no-schedules'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRM_LOG_LEVEL: process.env.DEBUG_RUNTIME ? '' : 'silent' },
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d) => (stderr.push(String(d)), process.env.DEBUG_RUNTIME && process.stderr.write(String(d))));
  const ready = await new Promise<LocalStack>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local runtime not ready in 90 s:\n${stderr.join('')}`)), 90_000);
    child!.once('exit', (code) => reject(new Error(`local runtime exited with ${code}:\n${stderr.join('')}`)));
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const parsed = JSON.parse(line) as LocalStack & { ready?: boolean };
      if (parsed.ready) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
  });
  project.provide('localStack', ready);
}

export async function teardown(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
