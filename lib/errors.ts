import type { Issue } from './types';

/**
 * Thrown by the core when input is invalid or no plan is possible. It carries every problem found,
 * each as `{ path, message }`, so a caller can show them all at once (the CLI exits 2; adapters
 * surface them as synth/input-property errors).
 */
export class PlanError extends Error {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    super(PlanError.format(issues));
    this.name = 'PlanError';
    this.issues = issues;
  }

  /** One line per issue: `path: message`. */
  static format(issues: readonly Issue[]): string {
    return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
  }

  static single(path: string, message: string): PlanError {
    return new PlanError([{ path, message }]);
  }
}

export function isPlanError(e: unknown): e is PlanError {
  return e instanceof PlanError || (e instanceof Error && e.name === 'PlanError' && Array.isArray((e as PlanError).issues));
}
