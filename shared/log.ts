/**
 * Structured JSON logs (one object per line, as CloudWatch Logs Insights likes them).
 * Deliberately tiny: Powertools Logger is the upgrade once we need sampling or log-level
 * switching at run time; today these lines are all the handlers use.
 */
export function logInfo(message: string, fields: Record<string, unknown> = {}): void {
  if (process.env.CRM_LOG_LEVEL === 'silent') return;
  console.log(JSON.stringify({ level: 'INFO', message, ...fields }));
}

export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}): void {
  if (process.env.CRM_LOG_LEVEL === 'silent') return;
  const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
  console.error(JSON.stringify({ level: 'ERROR', message, error: err, ...fields }));
}
