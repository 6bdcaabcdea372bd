// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { customerRepository } from '../customers/wiring';
import { newId } from '../ids';
import { poolCustomerLister, poolRepository } from '../pools/wiring';
import { requireEnv } from '../runtime-env';
import { isActiveUser } from '../users/user';
import { userDirectory } from '../users/wiring';
import type { BookHandOver } from '../users/user-use-cases';
import type { BookTransfer } from './book-transfer';
import { type BookTransferDeps, checkBookTransfer, startBookTransfer } from './book-transfer-use-case';
import { BookTransferRepository } from './book-transfer-repository';
import { OwnershipRepository } from './ownership-repository';
import type { OwnershipDeps } from './ownership-write';
import type { PoolClaimDeps } from './pool-claim-use-case';
import type { DigestDeps } from './reclaim-digest-use-case';
import { DigestMarkers } from './reclaim-digest-marker-repository';
import { RescheduleRepository } from './reclaim-reschedule-repository';
import { ReclaimRepository } from './reclaim-repository';
import { type EvaluateDeps, poolsPerRun } from './reclaim-sweep-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
const ownership = /* @__PURE__ */ new OwnershipRepository(documentClient, tableName);

/** What the ownership operations (claim, release, assign, lock, unlock) read and write. */
export const ownershipDeps: OwnershipDeps = {
  customers: customerRepository,
  ownership,
  directory: {
    pool: (tenantId, poolId) => poolRepository.get(tenantId, poolId),
    pools: (tenantId) => poolRepository.list(tenantId),
    teamOf: async (tenantId, userId) => (await userDirectory.get(tenantId, userId))?.teamId ?? null,
    // Only active users may be given customers: a leaver's id is refused like a typo.
    member: async (tenantId, userId) => {
      const user = await userDirectory.get(tenantId, userId);
      return user && isActiveUser(user) ? user : undefined;
    },
  },
};

/** What the bulk claim reads and writes. */
export const poolClaimDeps: PoolClaimDeps = {
  customers: customerRepository,
  ownership,
  pools: poolRepository,
  waiting: poolCustomerLister,
};

/** The reclaim sweep's repository, for the reclaim flow's tasks. */
export const reclaimRepository = /* @__PURE__ */ new ReclaimRepository(documentClient, tableName);

export const evaluateDeps: EvaluateDeps = {
  repo: reclaimRepository,
  pools: /* @__PURE__ */ poolsPerRun(reclaimRepository),
  newId,
};

/** The reschedule pass's repository. */
export const rescheduleRepository = /* @__PURE__ */ new RescheduleRepository(documentClient, tableName);

/** The digest task's adapters (only it sends mail, so only its bundle holds the SES client). */
export const digestDeps: DigestDeps = {
  users: userDirectory,
  mailer: /* @__PURE__ */ stageMail(),
  markers: /* @__PURE__ */ new DigestMarkers(documentClient, tableName),
};

/** What a book hand-over reads and writes: its item, the owner's book, and the ownership writes of single customers. */
export const bookTransferDeps: BookTransferDeps = {
  transfers: /* @__PURE__ */ new BookTransferRepository(documentClient, tableName),
  users: userDirectory,
  pools: { get: (tenantId, poolId) => poolRepository.get(tenantId, poolId) },
  ownership: ownershipDeps,
};

/** Deactivating a user hands their book on through the same hand-over as POST /users/{id}/transfer. */
export const bookHandOver: BookHandOver<BookTransfer> = {
  ownedCount: async (tenantId, userId) => (await ownership.counts(tenantId, userId)).owned,
  check: async (caller, userId, destination) => void (await checkBookTransfer(bookTransferDeps, caller, userId, destination)),
  start: (caller, userId, destination, correlationId) => startBookTransfer(bookTransferDeps, caller, userId, destination, correlationId),
};
