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
