import { isPlanError, type Issue } from '../../lib';
import { FLAG_FOR_FIELD } from './options';

/** Exit code for bad input (usage errors and plans that cannot be made). */
export const EXIT_BAD_INPUT = 2;

/** `contextTokens` → `--context (contextTokens)`, keeping any index or sub-path. */
export function flagPath(path: string): string {
  if (!path) return '';
  const head = path.split(/[.[]/)[0];
  const flag = FLAG_FOR_FIELD[head];
  return flag ? `${flag}${path.slice(head.length) ? ` (${path})` : ''}` : path;
}

/** One line per problem, naming the flag the user typed. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `error: ${i.path ? `${flagPath(i.path)}: ` : ''}${i.message}`).join('\n');
}

/**
 * Run a command body; a PlanError (bad input, nothing fits) prints its issues to stderr and exits 2
 * with nothing on stdout. Anything else is a bug and keeps its stack.
 */
export function runOrExit(body: () => void): void {
  try {
    body();
  } catch (e) {
    if (isPlanError(e)) {
      process.stderr.write(`${formatIssues(e.issues)}\n`);
      process.exit(EXIT_BAD_INPUT);
    }
    throw e;
  }
}
