import { ValidationFailed } from '../../shared/errors';

/** The field paths a ValidationFailed names; a test of a rule that must refuse fails when it does not. */
export function validationPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.path);
    throw error;
  }
  throw new Error('expected a ValidationFailed');
}

/** The field paths of the ValidationFailed a promise rejects with; fails when it resolves or rejects otherwise. */
export async function rejectionPaths(promise: Promise<unknown>): Promise<string[]> {
  const outcome = await promise.then(
    () => new Error('expected a ValidationFailed'),
    (error: unknown) => error,
  );
  if (outcome instanceof ValidationFailed) return outcome.errors.map((e) => e.path);
  throw outcome;
}
