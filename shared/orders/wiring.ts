// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { productRepository } from '../products/wiring';
import { QuoteRepository } from '../quotes/quote-repository';
import { requireEnv } from '../runtime-env';
import { stageMail } from '../aws/stage-mail';
import { OnceStore } from '../idempotency/once-store';
import type { OrderDispatchDeps } from './order-dispatch-use-case';
import type { OverdueDeps } from './overdue-invoices-use-case';
import { OrderRepository } from './order-repository';
import { type OrderDeps, writeWith } from './order-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const orderDeps: OrderDeps = {
  orders: /* @__PURE__ */ new OrderRepository(documentClient, tableName),
  quotes: /* @__PURE__ */ new QuoteRepository(documentClient, tableName),
  products: productRepository,
  customers: customerRepository,
  write: /* @__PURE__ */ writeWith(documentClient),
};

export const orderDispatchDeps: OrderDispatchDeps = {
  orders: orderDeps.orders,
  customers: customerRepository,
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
};

export const overdueDeps: OverdueDeps = { orders: orderDeps.orders, write: orderDeps.write };
