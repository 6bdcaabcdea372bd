import { leadCreatedV1 } from '../../events/lead-created.v1';
import { fieldErrors } from '../field-errors';
import { restoreCell } from '../files/formula-cells';
import { derivedId } from '../ids';
import { createLeadInput, type Lead, type LeadInput, matchCandidates, newLead } from '../leads/lead';
import { qualifiedEvents } from '../leads/lead-capture-use-case';
import { qualifyByScore } from '../leads/lead-qualification';
import type { LeadRepository, OutboxEvent } from '../leads/lead-repository';
import { NO_SCORING, scoreLead } from '../leads/lead-scoring';
import { newEvent } from '../outbox/outbox';
import type { DirectoryUser } from '../users/user';
import { keys } from '../keys';
import type { GuardHolderRepository } from './guard-holder-repository';
import type { ImportJob } from './import-job';
import { type ColumnTarget, dryRunOutcome, duplicateAsAsked, type EntityImport, mappedTargets, rowOwner, type PreparedRow, type RowCheck, type RowContext, type RowResult, wavesBy } from './import-rows';

/**
 * Leads (docs/integrations.md, "Leads"): the fields `POST /leads` takes, as columns (`utm.source`
 * and its siblings for the UTM parameters), and `ownerId` (a user id or email: the lead is theirs,
 * assigned now; `source` defaults to "import" when the file has no source column). A row whose email, phone or company domain a customer holds is a customer
 * already, and one whose email or phone a lead holds is that lead: both duplicates (skipped or
 * reported; leads are not updated by an import). New leads are scored and qualified by the
 * tenant's scoring rules as a capture would, written with the lead's guards in one transaction
 * through the leads repository, and not routed: an import names owners itself, or leaves the
 * leads to the routing of the lead list.
 */

const SCALAR = ['name', 'email', 'phone', 'company', 'domain', 'title', 'industry', 'companySize', 'region', 'product', 'message', 'source', 'pageUrl', 'ownerId'] as const;
const UTM = ['source', 'medium', 'campaign', 'term', 'content'] as const;

export interface LeadRow {
  input: LeadInput;
  owner: string | null;
  /** The file has a `source` column: an empty cell means no source, not "import" (an exported file goes round unchanged). */
  sourceColumn: boolean;
}

export interface LeadRowDeps {
  leads: Pick<LeadRepository, 'lookup' | 'create'>;
  guardHolders: Pick<GuardHolderRepository, 'holders'>;
  users: { all(tenantId: string): Promise<DirectoryUser[]> };
}

const known = (field: string) => (SCALAR as readonly string[]).includes(field) || (field.startsWith('utm.') && (UTM as readonly string[]).includes(field.slice(4)));

const leadColumnTargets = (header: readonly string[], mapping: Readonly<Record<string, string>> | null) =>
  mappedTargets(header, mapping, {
    known,
    fieldsHint: `${SCALAR.join(', ')}, utm.<${UTM.join('|')}>`,
    required: [{ anyOf: ['email', 'phone'], message: 'No column feeds email or phone, one of which every lead has' }],
  });

function leadRow(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[]): RowCheck<LeadRow> {
  const body: Record<string, unknown> = {};
  const utm: Record<string, string> = {};
  const columnOfField = new Map<string, string>();
  const errors: { column: string; message: string }[] = [];
  let owner: string | null = null;
  targets.forEach((field, index) => {
    if (field === null) return;
    const column = header[index] ?? `column ${index + 1}`;
    const cell = restoreCell((cells[index] ?? '').trim());
    columnOfField.set(field, column);
    if (cell === '') return;
    if (field === 'ownerId') owner = cell;
    else if (field.startsWith('utm.')) utm[field.slice(4)] = cell;
    else if (field === 'companySize') body.companySize = Number(cell.replace(/\s/g, ''));
    else body[field] = cell;
  });
  if (Object.keys(utm).length > 0) body.utm = utm;
  const parsed = createLeadInput.safeParse(body);
  if (!parsed.success) {
    for (const e of fieldErrors(parsed.error)) errors.push({ column: columnOfField.get(e.path) ?? columnOfField.get(e.path.split('.')[0] ?? '') ?? e.path, message: e.message });
    return { ok: false, errors };
  }
  return { ok: true, row: { input: parsed.data, owner, sourceColumn: targets.includes('source') } };
}

type Row = PreparedRow<LeadRow>;

/** The lead's own guards (email, phone) and the customer guards capture matches on, as keys of one namespace per kind. */
const leadKeys = (row: LeadRow) => [...(row.input.email ? [`email:${row.input.email}`] : []), ...(row.input.phone ? [`phone:${row.input.phone}`] : [])];


async function writeLeadRow(deps: LeadRowDeps, context: RowContext, row: Row): Promise<RowResult> {
  const { job, nowIso } = context;
  const resolved = rowOwner(job, context.users, row);
  if ('failed' in resolved) return resolved.failed;
  const { owner } = resolved;
  const { match, scoring } = await deps.leads.lookup(job.tenantId, matchCandidates({ email: row.input.email ?? null, phone: row.input.phone ?? null, domain: row.input.domain ?? null }));
  if (match) return duplicateAsAsked(job, row, `customer ${match.customerId} has this ${match.matchedOn}`, match.customerId);
  const id = derivedId(job.id, 'lead', row.row);
  const actor = { type: 'user' as const, id: job.createdBy };
  const fresh = newLead(row.input, { id, tenantId: job.tenantId, channel: 'api', formId: null, actorId: job.createdBy, nowIso, defaultSource: row.sourceColumn ? null : 'import' });
  const owned: Lead = owner ? { ...fresh, ownerId: owner.userId, teamId: owner.teamId, assignedAt: nowIso } : fresh;
  const { score } = scoreLead(scoring ?? NO_SCORING, owned, [], Date.parse(nowIso));
  const { lead, reached } = qualifyByScore(owned, scoring ?? NO_SCORING, score, nowIso);
  const ctx = { tenantId: job.tenantId, actor, correlationId: `import-${job.id}` };
  const events: OutboxEvent[] = job.options.sendWelcome
    ? [
        { detailType: leadCreatedV1.detailType, detail: { ...newEvent(leadCreatedV1, ctx, { leadId: id, disposition: 'new', customerId: null, matchedOn: null, channel: 'api', formId: null }), id: derivedId(job.id, 'event', row.row) } },
        ...qualifiedEvents(ctx, lead, reached, 'score', score).map((e, i) => ({ ...e, detail: { ...e.detail, id: derivedId(job.id, `qualified-${i}`, row.row) } })),
      ]
    : [];
  const outcome = await deps.leads.create(lead, [], events);
  // A guard held by this row's own lead: an earlier attempt wrote it.
  if (outcome.created || outcome.existingLeadId === id) return { outcome: 'created', ownerId: null };
  return duplicateAsAsked(job, row, `lead ${outcome.existingLeadId} has this email or phone`, outcome.existingLeadId);
}

async function wouldBeLeadDuplicates(deps: LeadRowDeps, job: ImportJob, rows: readonly Row[]): Promise<RowResult[]> {
  const holders = await deps.guardHolders.holders(rows.flatMap(leadKeys), (value) => keys.leadGuard(job.tenantId, value.slice(0, value.indexOf(':')) as 'email' | 'phone', value.slice(value.indexOf(':') + 1)), 'leadId');
  const users = await deps.users.all(job.tenantId);
  const earlier = new Map<string, number>();
  const results: RowResult[] = [];
  for (const row of rows) {
    const resolved = rowOwner(job, users, row);
    if ('failed' in resolved) {
      results.push(resolved.failed);
      continue;
    }
    const { match } = await deps.leads.lookup(job.tenantId, matchCandidates({ email: row.input.email ?? null, phone: row.input.phone ?? null, domain: row.input.domain ?? null }));
    const held = leadKeys(row).map((k) => holders.get(k)).find(Boolean);
    const inFile = leadKeys(row).map((k) => earlier.get(k)).find((n) => n !== undefined);
    for (const k of leadKeys(row)) if (!earlier.has(k)) earlier.set(k, row.row);
    const why = match ? `customer ${match.customerId} has this ${match.matchedOn}` : held ? `lead ${held} has this email or phone` : inFile !== undefined ? `the email or phone is also on row ${inFile} of the file` : undefined;
    results.push(dryRunOutcome(job, row, why === undefined ? undefined : { why, existingId: match?.customerId ?? held ?? '' }));
  }
  return results;
}

export const leadImport: EntityImport<LeadRow, LeadRowDeps> = {
  targets: (header, mapping) => leadColumnTargets(header, mapping),
  check: (cells, header, targets) => leadRow(cells, header, targets),
  waves: (rows) => wavesBy(rows, leadKeys),
  write: writeLeadRow,
  dryRun: wouldBeLeadDuplicates,
};

/** The columns an export of leads writes: what this import reads back, in its order. */
export const LEAD_COLUMNS = [...SCALAR, ...UTM.map((u) => `utm.${u}`)] as readonly string[];

/** A lead as the cells of LEAD_COLUMNS. */
export function leadCells(lead: Lead): string[] {
  return LEAD_COLUMNS.map((column) => {
    if (column.startsWith('utm.')) return lead.utm?.[column.slice(4)] ?? '';
    const value = lead[column as Exclude<(typeof SCALAR)[number], never> & keyof Lead];
    return value === null || value === undefined ? '' : String(value);
  });
}
