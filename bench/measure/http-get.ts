import { Agent, request as httpRequest } from 'node:http';

/**
 * The API path's client: node:http with a keep-alive agent, the same HTTP stack the SDK's
 * NodeHttpHandler uses for the raw path, so a difference between client stacks (fetch/undici
 * costs ~0.2 ms more CPU per request here) does not count against the API layer.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

export function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: keepAlive, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
