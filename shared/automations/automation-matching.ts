import { type EventPattern, matchesEventPattern, parseEventPattern } from '../event-pattern';
import { logError } from '../log';

/** Compiled patterns by automation id and version: a container compiles each pattern once, and an edit (new version) compiles anew. */
const compiled = new Map<string, EventPattern | null>();
/** Enough for every automation of the tenants a container serves; beyond it the cache starts over rather than grow. */
const MAX_COMPILED = 2000;

function compiledPattern(automation: { id: string; version: number; eventPattern: Record<string, unknown> }): EventPattern | null {
  const key = `${automation.id}@${automation.version}`;
  let pattern = compiled.get(key);
  if (pattern === undefined) {
    try {
      pattern = parseEventPattern(automation.eventPattern);
    } catch (error) {
      // Checked when saved; a pattern this matcher no longer accepts matches nothing rather than stopping the others.
      logError('automation pattern no longer valid', error, { automationId: automation.id });
      pattern = null;
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, pattern);
  }
  return pattern;
}

/**
 * The automations whose EventBridge pattern matches the bus event, matched against the whole
 * event as EventBridge delivers it (`source`, `detail-type`, `time`, `detail`...), with the
 * project's EventBridge-compatible matcher: a pattern behaves as it would on a rule.
 */
export function matchingAutomations<T extends { id: string; version: number; eventPattern: Record<string, unknown> }>(automations: readonly T[], busEvent: unknown): T[] {
  return automations.filter((automation) => {
    const pattern = compiledPattern(automation);
    return pattern !== null && matchesEventPattern(pattern, busEvent);
  });
}
