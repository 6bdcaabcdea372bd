import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listenOnLoopback } from '../http-api';

/**
 * The S3 calls the CRM makes (GetObject, PutObject, HeadObject, DeleteObject), path-style
 * (`/<bucket>/<key>`), as the SDK sends them with `forcePathStyle` and AWS_ENDPOINT_URL_S3, and
 * the presigned links it hands out (CSV uploads and downloads): a link past its `X-Amz-Expires`
 * is refused as S3 refuses it, and browsers may use links from another origin (CORS), as the
 * files bucket allows. Objects live in memory, or under `dir` when the runtime has a data dir (a
 * restart keeps them). Signatures are not checked, no listing, no versions: the handlers need none.
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
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'etag');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, PUT, HEAD', 'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*', 'access-control-max-age': '3000' });
      return void res.end();
    }
    if (linkExpired(url.searchParams)) return error(res, 403, 'AccessDenied', 'Request has expired');
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
        const disposition = url.searchParams.get('response-content-disposition');
        res.writeHead(200, {
          'content-type': url.searchParams.get('response-content-type') ?? 'application/octet-stream',
          'content-length': body.length,
          ...(disposition ? { 'content-disposition': disposition } : {}),
        });
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

/** A presigned link (SigV4 query parameters) whose `X-Amz-Date` + `X-Amz-Expires` has passed. */
function linkExpired(query: URLSearchParams): boolean {
  const signedAt = query.get('X-Amz-Date');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!signedAt || !Number.isFinite(expires)) return false;
  const at = Date.parse(signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  return Number.isFinite(at) && Date.now() > at + expires * 1000;
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
