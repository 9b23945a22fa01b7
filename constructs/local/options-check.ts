/**
 * Checks the free-text options of the local renderers before any of them lands in a shell script,
 * a systemd unit, compose.yaml or Kubernetes YAML. A host path is an absolute path of plain
 * characters (no quotes, `$`, backticks, colons, spaces or control characters), names are
 * DNS-1123 labels, StorageClass names DNS-1123 subdomains. Every problem is thrown at once as a
 * PlanError whose paths are the option names (`modelsDir`, `storageClassName`, `name`).
 */
import { PlanError, type Issue } from '../../lib';
import { absolutePathProblem, ipv4AddressProblem, resourceNameProblem, storageClassProblem } from '../../lib/spec/safe-values';

/** The options any local renderer takes that carry user text. */
export interface CheckedLocalOptions {
  readonly name?: string;
  readonly modelsDir?: string;
  readonly storageClassName?: string;
  readonly publishAddress?: string;
}

/** Every problem with the user-text options, as issues. */
export function localOptionIssues(options: CheckedLocalOptions): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string | undefined) => message && issues.push({ path, message });
  if (options.modelsDir !== undefined) add('modelsDir', absolutePathProblem(options.modelsDir));
  if (options.name !== undefined) add('name', resourceNameProblem(options.name));
  if (options.storageClassName !== undefined) add('storageClassName', storageClassProblem(options.storageClassName));
  if (options.publishAddress !== undefined) add('publishAddress', ipv4AddressProblem(options.publishAddress));
  return issues;
}

/** Throw a PlanError listing every problem with the options. */
export function checkLocalOptions(options: CheckedLocalOptions): void {
  const issues = localOptionIssues(options);
  if (issues.length > 0) throw new PlanError(issues);
}
