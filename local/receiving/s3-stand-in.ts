import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listenOnLoopback } from '../http-api';

/**
 * The S3 calls the CRM makes (GetObject, PutObject, HeadObject, DeleteObject), path-style
 * (`/<bucket>/<key>`), as the SDK sends them with `forcePathStyle` and AWS_ENDPOINT_URL_S3.
 * Objects live in memory, or under `dir` when the runtime has a data dir (a restart keeps them).
 * No auth, no listing, no versions: the handlers need none.
 */
export class S3StandIn {
  private readonly memory = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly dir: string | undefined,
  ) {}

  static async start(dir?: string, port = 0): Promise<S3StandIn> {
    const server = createServer();
    await listenOnLoopback(server, port);
    const standIn = new S3StandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dir);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void standIn.handle(req, res));
    return standIn;
  }

  put(bucket: string, key: string, body: Buffer): void {
    const file = this.file(bucket, key);
    if (!file) return void this.memory.set(`${bucket}/${key}`, body);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }

  get(bucket: string, key: string): Buffer | undefined {
    const file = this.file(bucket, key);
    if (!file) return this.memory.get(`${bucket}/${key}`);
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  private delete(bucket: string, key: string): void {
    const file = this.file(bucket, key);
    if (file) rmSync(file, { force: true });
    else this.memory.delete(`${bucket}/${key}`);
  }

  /** Keys are percent-encoded into one file name each: no key can climb out of the directory. */
  private file(bucket: string, key: string): string | undefined {
    return this.dir && join(this.dir, encodeURIComponent(bucket), encodeURIComponent(key));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!bucket || !key) return error(res, 400, 'InvalidRequest', 'Path-style /<bucket>/<key> only');
    switch (req.method) {
      case 'PUT':
        this.put(decodeURIComponent(bucket), key, Buffer.concat(chunks));
        return void res.writeHead(200, { etag: '"local"' }).end();
      case 'GET':
      case 'HEAD': {
        const body = this.get(decodeURIComponent(bucket), key);
        if (!body) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        return void res.end(req.method === 'GET' ? body : undefined);
      }
      case 'DELETE':
        this.delete(decodeURIComponent(bucket), key);
        return void res.writeHead(204).end();
      default:
        return error(res, 405, 'MethodNotAllowed', `${req.method} is not served by the local S3 stand-in`);
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
