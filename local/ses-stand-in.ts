import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';

/** What /_local/emails shows of a mail the SES stand-in accepted. */
export interface SentEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
  at: string;
}

/**
 * aws-ses-v2-local speaks the SES v2 HTTP API (SendEmail, SendBulkEmail, templates) and keeps
 * what was sent; it has no configuration sets or identities (those exist only in CDK).
 */
export class SesStandIn {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port: number): Promise<SesStandIn> {
    const mod = sesLocal as unknown as { default: ((c: object) => Promise<Server>) | { default: (c: object) => Promise<Server> } };
    const startServer = typeof mod.default === 'function' ? mod.default : mod.default.default;
    const server = await startServer({ host: '127.0.0.1', port });
    const actual = (server.address() as AddressInfo).port;
    return new SesStandIn(server, `http://127.0.0.1:${actual}`);
  }

  async emails(): Promise<SentEmail[]> {
    const response = await fetch(`${this.url}/store`);
    const store = (await response.json()) as { emails: Record<string, unknown>[] };
    return store.emails.map((e) => {
      const destination = e.destination as { to: string[]; cc: string[]; bcc: string[] };
      const body = e.body as { text?: string; html?: string };
      return {
        messageId: String(e.messageId),
        from: String(e.from),
        to: destination.to,
        cc: destination.cc,
        bcc: destination.bcc,
        subject: String(e.subject),
        text: body.text,
        html: body.html,
        headers: (e.headers as SentEmail['headers'] | undefined) ?? [],
        at: new Date(Number(e.at) * 1000).toISOString(),
      };
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }
}
