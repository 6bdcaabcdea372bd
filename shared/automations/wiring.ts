// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { clock } from '../clock';
import { marketingSendDeps } from '../consent/marketing-send-wiring';
import { requireEnv } from '../runtime-env';
import { templateRepository } from '../templates/wiring';
import { AutomationReader } from './automation-trigger-repository';
import { AutomationRepository } from './automation-repository';
import type { AutomationFlowDeps } from './automation-send-flow-use-cases';
import { AutomationSendRepository } from './automation-send-repository';
import { AutomationStatsRepository } from './automation-stats-repository';
import type { AutomationDeps } from './automation-use-cases';
import { MarketingDueRepository } from './marketing-due-repository';
import type { DueSweepDeps } from './marketing-due-use-case';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

/** What the automation API functions use (no SES client: they only read templates). */
export const automationDeps: AutomationDeps = {
  automations: /* @__PURE__ */ new AutomationRepository(documentClient, tableName),
  templates: templateRepository,
  stats: /* @__PURE__ */ new AutomationStatsRepository(documentClient, tableName),
};

/** What the automations dispatcher and the marketing-due sweep send with. */
export const automationFlowDeps: AutomationFlowDeps = {
  send: marketingSendDeps,
  sends: /* @__PURE__ */ new AutomationSendRepository(documentClient, tableName),
  automations: /* @__PURE__ */ new AutomationReader(documentClient, tableName),
  // A call, not `clock.nowIso` itself: esbuild counts a property read as a possible side effect
  // and would keep this whole object (and what it builds) in every bundle that imports this module.
  nowIso: () => clock.nowIso(),
};

/** The marketing-due sweep's index access. */
export const marketingDueDeps: DueSweepDeps = {
  due: /* @__PURE__ */ new MarketingDueRepository(documentClient, tableName),
  nowIso: () => clock.nowIso(),
};
