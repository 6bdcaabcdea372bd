import { describe, expect, it } from 'vitest';
import { putAgentInput, routingPolicyInput } from '../../../shared/agents/agent';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (result.error?.issues ?? []).map((i) => i.path.join('.')).sort();

describe('agent profile', () => {
  it('takes presence, skills and capacity; skills default to none (a generalist); languages lower-cased', () => {
    expect(putAgentInput.parse({ presence: 'available', capacity: 3 })).toEqual({ presence: 'available', skills: { categories: [], languages: [] }, capacity: 3 });
    expect(putAgentInput.parse({ presence: 'away', skills: { categories: ['billing'], languages: [' PT-BR '] }, capacity: 0 }).skills.languages).toEqual(['pt-br']);
  });

  it('names every bad field', () => {
    const result = putAgentInput.safeParse({ presence: 'busy', skills: { categories: ['Billing Dept', 'ok'], languages: ['english!'], teams: [] }, capacity: 201 });
    expect(paths(result)).toEqual(['capacity', 'presence', 'skills', 'skills.categories.0', 'skills.languages.0']);
    expect(paths(putAgentInput.safeParse({ presence: 'available', capacity: 1.5 }))).toEqual(['capacity']);
    expect(paths(putAgentInput.safeParse({ presence: 'available', capacity: 2, skills: { categories: ['a', 'a'] } }))).toEqual(['skills.categories']);
  });
});

describe('routing policy', () => {
  it('defaults to round-robin and keep', () => {
    expect(routingPolicyInput.parse({})).toEqual({ strategy: 'round-robin', whenAway: 'keep' });
    expect(paths(routingPolicyInput.safeParse({ strategy: 'random', whenAway: 'drop' }))).toEqual(['strategy', 'whenAway']);
  });
});
