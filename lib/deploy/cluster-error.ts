import type { Issue } from '../types';

/**
 * Thrown by every AWS adapter's `DeepSeekInferenceCluster` when its props are invalid or no plan
 * fits: the construct path, then one line per problem (`path: message`), all of them at once.
 * Nothing has been created when it is thrown.
 */
export class DeepSeekInferenceClusterError extends Error {
  readonly issues: readonly Issue[];

  constructor(constructPath: string, issues: readonly Issue[]) {
    super(`${constructPath}: invalid DeepSeekInferenceCluster configuration:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.name = 'DeepSeekInferenceClusterError';
    this.issues = issues;
  }
}
