// Built once per container, at module load (docs/decisions.md, 52).
import { approvalDeps, approvalRepository } from '../approvals/wiring';
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { productRepository } from '../products/wiring';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { stageMail } from '../aws/stage-mail';
import { unsubscribeSecret } from '../consent/unsubscribe-secret-repository';
import { ContactRepository } from '../contacts/contact-repository';
import { OnceStore } from '../idempotency/once-store';
import { OrderRepository } from '../orders/order-repository';
import { orderFromQuote, writeWith } from '../orders/order-use-cases';
import type { QuoteMailDeps } from './quote-mail-use-case';
import { QuoteRepository } from './quote-repository';
import type { QuoteLinkDeps, QuoteSendingDeps } from './quote-sending-use-cases';
import type { QuoteDeps } from './quote-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const quoteDeps: QuoteDeps = {
  quotes: /* @__PURE__ */ new QuoteRepository(documentClient, tableName),
  products: productRepository,
  customers: customerRepository,
  approvals: approvalRepository,
  approvalDeps,
  // Every user of the tenant: an approval chain resolves roles among them.
  directory: (tenantId) => userDirectory.all(tenantId),
};

const write = /* @__PURE__ */ writeWith(documentClient);

export const quoteSendingDeps: QuoteSendingDeps = {
  quotes: quoteDeps.quotes,
  customers: customerRepository,
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
  write,
};

/** The public link routes: the quote, the order an acceptance places, the link secret (read on first use). */
export const quoteLinkDeps: QuoteLinkDeps = {
  quotes: quoteDeps.quotes,
  orders: { fromQuote: /* @__PURE__ */ orderFromQuote(/* @__PURE__ */ new OrderRepository(documentClient, tableName)), eventItem: (...args) => quoteDeps.quotes.eventItem(...args) },
  write,
  secret: unsubscribeSecret,
};

/** Only the mailer holds the SES client. */
export const quoteMailDeps: QuoteMailDeps = {
  quotes: quoteDeps.quotes,
  customers: customerRepository,
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
  secret: unsubscribeSecret,
  apiBaseUrl: /* @__PURE__ */ requireEnv('API_BASE_URL'),
};
