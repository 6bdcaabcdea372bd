import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/crm-function';
import { type CfnTemplate, type StageTemplates, idleMonthlyCost, runsPerMonth, unknownResourceTypes } from '../../infra/cost-model';
import { monthlyResourceCost } from '../../infra/cost-prices';
import { TARGETS, costReport, idleAssumptions, renderCostTables } from '../../infra/cost-report';
import { matchesEventPattern } from '../../shared/event-pattern';
import { synthesizeStage } from './synthesize-stage';

const COST_DOC = join(REPO_ROOT, 'docs', 'cost.md');
const START = '<!-- cost:start -->';
const END = '<!-- cost:end -->';

/** Every template of a stage, by stack name, as `cdk synth` writes them. */
function templatesOf(stage: string): StageTemplates {
  const { assembly } = synthesizeStage(stage);
  return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.template as CfnTemplate]));
}

const stages = { dev: templatesOf('dev'), staging: templatesOf('staging'), prod: templatesOf('prod') };
const report = costReport(stages, 'prod', REPO_ROOT, matchesEventPattern);

describe('cost model', () => {
  it('knows how every resource type of every stage is billed', () => {
    for (const [stage, templates] of Object.entries(stages)) expect(unknownResourceTypes(templates), stage).toEqual([]);
  });

  it('refuses to cost a stage holding a resource type it does not know, so none slips in uncosted', () => {
    const withCollection: StageTemplates = { ...stages.dev, extra: { Resources: { Search: { Type: 'AWS::OpenSearchServerless::Collection' } } } };
    expect(unknownResourceTypes(withCollection)).toEqual(['AWS::OpenSearchServerless::Collection']);
    expect(() => idleMonthlyCost(withCollection, idleAssumptions(REPO_ROOT))).toThrow(/AWS::OpenSearchServerless::Collection/);
  });

  it('prices alarms per metric they read, high resolution at three times, and dashboards and keys by the month', () => {
    const metric = (period: number) => ({ MetricStat: { Period: period } });
    expect(monthlyResourceCost({ Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 300 } })).toBeCloseTo(0.1);
    expect(monthlyResourceCost({ Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [metric(60), metric(60), { Expression: 'm1+m2' }] } })).toBeCloseTo(0.2);
    expect(monthlyResourceCost({ Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 10 } })).toBeCloseTo(0.3);
    expect(monthlyResourceCost({ Type: 'AWS::CloudWatch::Dashboard' })).toBe(3);
    expect(monthlyResourceCost({ Type: 'AWS::KMS::Key' })).toBe(1);
    expect(monthlyResourceCost({ Type: 'AWS::IAM::Role' })).toBe(0);
  });

  it('counts the runs of a rate schedule over a 730-hour month and refuses what it cannot count', () => {
    expect(runsPerMonth('rate(1 minute)')).toBe(43_800);
    expect(runsPerMonth('rate(15 minutes)')).toBe(2_920);
    expect(runsPerMonth('rate(1 day)')).toBeCloseTo(30.42, 2);
    expect(() => runsPerMonth('cron(0 8 * * ? *)')).toThrow(/cron/);
  });

  it('costs every schedule of the stage: the marketing-due sweep and the reclaim sweep with its two Lambdas', () => {
    const items = report.idle.dev!.lines.map((line) => line.item).join('\n');
    expect(items).toContain('schedule marketing-due: Lambda functions/automations/run-due-marketing.ts');
    expect(items).toContain('schedule reclaim: EXPRESS state machine');
    expect(items).toContain('functions/allocation/find-due-customers.ts');
    expect(items).toContain('functions/allocation/send-reclaim-digests.ts');
  });
});

describe('cost targets (docs/cost.md)', () => {
  it(`a dev-like stage costs at most $${TARGETS.devIdleUsd} a month at idle`, () => {
    expect(report.idle.dev!.totalUsd).toBeLessThanOrEqual(TARGETS.devIdleUsd);
  });

  it('prod pays for what it adds at idle: its alarms and the alarm topic key', () => {
    const items = report.idle.prod!.lines.map((line) => line.item);
    expect(items).toEqual(expect.arrayContaining(['AWS::CloudWatch::Alarm', 'AWS::KMS::Key']));
    expect(report.idle.dev!.lines.map((line) => line.item)).not.toContain('AWS::CloudWatch::Alarm');
  });

  // The 1M-call target is missed (docs/cost.md, "Why 1M calls miss"): the figure is in the page,
  // which the next test keeps equal to the model; the target is a benchmark-style figure, not a test.
  it('docs/cost.md shows what the model computes (UPDATE_COST_DOC=1 rewrites it)', () => {
    const doc = readFileSync(COST_DOC, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(start, `${START} in docs/cost.md`).toBeGreaterThan(-1);
    const generated = `${START}\n${renderCostTables(report)}\n${END}`;
    if (process.env.UPDATE_COST_DOC === '1') writeFileSync(COST_DOC, doc.slice(0, start) + generated + doc.slice(end + END.length));
    else expect(doc.slice(start, end + END.length)).toBe(generated);
  });
});
