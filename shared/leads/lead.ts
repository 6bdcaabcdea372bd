import * as z from 'zod/mini';
import { type Caller, hasAnyGroup } from '../access/caller';
import { overseesReps, runsMarketing } from '../access/permissions';
import { normalizeDomain } from '../customers/contact-points';
import { awaitingConfirmation, capturedConsent, capturedConsentInput, consentIssues, consentTextInput, type PendingConsent } from '../consent/consent-capture';
import { type ConsentRecord, domain, email, phone, text } from '../customers/fields';

/**
 * Leads (issue 6, docs/leads.md): people who showed interest and are not customers yet. Pure and
 * free of the AWS SDK; the repository stores what these functions build.
 */

/** `converted` is final: the lead became a customer (`POST /leads/{id}/convert`) and changes no more. */
export const LEAD_STATUSES = ['new', 'nurture', 'mql', 'sql', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Qualification levels in order; a lead only ever climbs (an event per level reached). */
export const QUALIFICATION_LEVELS = ['mql', 'sql'] as const;
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number];

export const LEAD_CHANNELS = ['api', 'form'] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

const shortText = (max = 200) => z.optional(text(max));

const utmSchema = z.strictObject({
  source: shortText(),
  medium: shortText(),
  campaign: shortText(),
  term: shortText(),
  content: shortText(),
});

/** The lead's own fields: the same for the authenticated API and the public form. */
export const leadFields = {
  name: shortText(),
  email: z.optional(email),
  phone: z.optional(phone),
  company: shortText(),
  domain: z.optional(domain),
  title: shortText(),
  industry: shortText(100),
  companySize: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10_000_000))),
  region: shortText(100),
  product: shortText(100),
  message: z.optional(z.string().check(z.maxLength(5000))),
  source: shortText(100),
  utm: z.optional(utmSchema),
  pageUrl: z.optional(z.string().check(z.maxLength(2048))),
  /** Answers per topic (docs/leads.md#consent-at-the-source); the evidence is `consentText`, `pageUrl` and the server's time. */
  consent: z.optional(capturedConsentInput),
  consentText: z.optional(consentTextInput),
};

const needsContact = z.refine<{ email?: string; phone?: string }>((lead) => lead.email !== undefined || lead.phone !== undefined, {
  message: 'Give an email or a phone',
  path: ['email'],
});

const consentWithEvidence = z.superRefine<{ consent?: Record<string, boolean>; consentText?: string }>((lead, ctx) => {
  for (const issue of consentIssues(lead)) ctx.addIssue({ code: 'custom', message: issue.message, path: [issue.path], input: lead });
});

/** POST /leads. */
export const createLeadInput = z.strictObject(leadFields).check(needsContact, consentWithEvidence);
export type LeadInput = z.output<typeof createLeadInput>;

/** The public form: unknown fields (the honeypot among them) pass through and are dropped here. */
export const formSubmissionInput = z.looseObject(leadFields).check(needsContact, consentWithEvidence);

export const ENGAGEMENT_TYPES = ['email-opened', 'email-clicked', 'page-visited', 'form-submitted', 'meeting-booked'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** POST /leads/{id}/engagements: a tracked signal (from a mail provider, a web tracker...). */
export const engagementInput = z.strictObject({
  type: z.enum(ENGAGEMENT_TYPES),
  occurredAt: z.optional(z.iso.datetime()),
  url: z.optional(z.string().check(z.maxLength(2048))),
});
export type EngagementInput = z.output<typeof engagementInput>;

export const qualifyLeadInput = z.strictObject({ level: z.enum(QUALIFICATION_LEVELS), reason: text(1000) });
/** `nurture: true` keeps the lead for later (the nurture list); otherwise it is out. */
export const disqualifyLeadInput = z.strictObject({ reason: text(1000), nurture: z.optional(z.boolean()) });

export interface Signal {
  id: string;
  type: EngagementType;
  occurredAt: string;
  url: string | null;
}

export interface Lead {
  id: string;
  tenantId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  domain: string | null;
  title: string | null;
  industry: string | null;
  companySize: number | null;
  region: string | null;
  product: string | null;
  message: string | null;
  source: string | null;
  utm: Record<string, string> | null;
  pageUrl: string | null;
  /** Consent per topic as captured, with its evidence; absent on leads stored before consent at the source. */
  consent?: Record<string, ConsentRecord>;
  /** Grants waiting for the double opt-in link; absent or empty when none wait. */
  pendingConsent?: Record<string, PendingConsent>;
  channel: LeadChannel;
  formId: string | null;
  status: LeadStatus;
  /** The highest level reached (events are emitted once per level). */
  qualifiedLevel: QualificationLevel | null;
  qualification: { by: 'score' | 'rep'; at: string; userId: string | null; reason: string | null } | null;
  disqualification: { at: string; userId: string; reason: string } | null;
  ownerId: string | null;
  teamId: string | null;
  assignedAt: string | null;
  /** Set by the conversion (`POST /leads/{id}/convert`) in the transaction that writes the customer. */
  convertedCustomerId: string | null;
  /** What the conversion made of the lead; absent on leads stored before conversions existed. */
  conversion?: LeadConversionRecord | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export interface LeadConversionRecord {
  at: string;
  userId: string;
  customerId: string;
  customerCreated: boolean;
  contactId: string | null;
  dealId: string | null;
  activityId: string;
}

export const LEAD_PAGE_SIZE = { default: 25, max: 100 } as const;

/** The evidence of a capture's answers: the wording, the page, the form; none without the wording. */
export function captureEvidence(input: Pick<LeadInput, 'consentText' | 'pageUrl'>, formId: string | null) {
  return input.consentText ? { text: input.consentText, pageUrl: input.pageUrl ?? null, formId } : null;
}

export function newLead(
  input: LeadInput,
  context: { id: string; tenantId: string; channel: LeadChannel; formId: string | null; actorId: string; nowIso: string; defaultSource: string | null; doubleOptIn?: boolean },
): Lead {
  const captured = capturedConsent(input.consent, captureEvidence(input, context.formId), context.channel, context.nowIso);
  // Grants wait for the link; one without an address to mail it to waits for good, which is right: unconfirmed is not consent.
  const { consent, pending } = context.doubleOptIn ? awaitingConfirmation(captured) : { consent: captured, pending: {} };
  return {
    id: context.id,
    tenantId: context.tenantId,
    name: input.name ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    company: input.company ?? null,
    domain: input.domain ?? null,
    title: input.title ?? null,
    industry: input.industry ?? null,
    companySize: input.companySize ?? null,
    region: input.region ?? null,
    product: input.product ?? null,
    message: input.message ?? null,
    source: input.source ?? context.defaultSource,
    utm: input.utm ? (Object.fromEntries(Object.entries(input.utm).filter(([, v]) => v !== undefined)) as Record<string, string>) : null,
    pageUrl: input.pageUrl ?? null,
    consent,
    pendingConsent: pending,
    channel: context.channel,
    formId: context.formId,
    status: 'new',
    qualifiedLevel: null,
    qualification: null,
    disqualification: null,
    ownerId: null,
    teamId: null,
    assignedAt: null,
    convertedCustomerId: null,
    conversion: null,
    createdAt: context.nowIso,
    createdBy: context.actorId,
    updatedAt: context.nowIso,
    version: 1,
  };
}

/** Mail providers whose domain says nothing about the company: never matched to a company customer. */
const FREE_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'qq.com', '163.com']);

/**
 * The contact points that make a lead someone the tenant already knows, strongest first: email,
 * phone, then the company domain (given, or the email's unless it is a free-mail provider).
 */
export function matchCandidates(lead: Pick<Lead, 'email' | 'phone' | 'domain'>): { field: 'email' | 'phone' | 'domain'; value: string }[] {
  const emailDomain = lead.email ? normalizeDomain(lead.email.split('@')[1] ?? '') : undefined;
  const domains = [lead.domain, emailDomain && !FREE_MAIL_DOMAINS.has(emailDomain) ? emailDomain : undefined].filter((d): d is string => !!d);
  return [
    ...(lead.email ? [{ field: 'email' as const, value: lead.email }] : []),
    ...(lead.phone ? [{ field: 'phone' as const, value: lead.phone }] : []),
    ...[...new Set(domains)].map((value) => ({ field: 'domain' as const, value })),
  ];
}

/** Admins, managers and marketers see every lead; reps and agents the leads assigned to them. */
export function canReadLead(caller: Caller, lead: Pick<Lead, 'ownerId' | 'teamId'>): boolean {
  if (runsMarketing(caller)) return true;
  if (hasAnyGroup(caller, 'manager') && (lead.ownerId === null || (caller.teamId !== undefined && lead.teamId === caller.teamId))) return true;
  return lead.ownerId === caller.userId;
}

/** Qualifying by hand is a sales decision: the owner, managers and admins. */
export function canQualifyLead(caller: Caller, lead: Pick<Lead, 'ownerId' | 'teamId'>): boolean {
  return overseesReps(caller) || lead.ownerId === caller.userId;
}

export function levelRank(level: QualificationLevel | null): number {
  return level === null ? 0 : QUALIFICATION_LEVELS.indexOf(level) + 1;
}

export function leadView(lead: Lead) {
  const { tenantId: _tenantId, ...view } = lead;
  return { ...view, consent: lead.consent ?? {}, pendingConsent: lead.pendingConsent ?? {} };
}
