/**
 * Checks the free-text options of the local renderers before any of them lands in a shell script,
 * a systemd unit, compose.yaml or Kubernetes YAML. A host path is an absolute path of plain
 * characters (no quotes, `$`, backticks, colons, spaces or control characters), names are
 * DNS-1123 labels, StorageClass names DNS-1123 subdomains. Every problem is thrown at once as a
 * PlanError whose paths are the option names (`modelsDir`, `storageClassName`, `name`).
 */
import { PlanError } from '../errors';
import type { Issue } from '../types';
import { absolutePathProblem, ipv4AddressProblem, resourceNameProblem, storageClassProblem } from '../input/safe-values';

/** The options any local renderer takes that carry user text. */
export interface CheckedLocalOptions {
  readonly name?: string;
  readonly modelsDir?: string;
  readonly storageClassName?: string;
  readonly publishAddress?: string;
  readonly rdmaResource?: string;
  readonly apiPeerCidrs?: readonly string[];
}

/** Every problem with the user-text options, as issues. */
export function localOptionIssues(options: CheckedLocalOptions): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string | undefined) => message && issues.push({ path, message });
  if (options.modelsDir !== undefined) add('modelsDir', absolutePathProblem(options.modelsDir));
  if (options.name !== undefined) add('name', resourceNameProblem(options.name));
  if (options.storageClassName !== undefined) add('storageClassName', storageClassProblem(options.storageClassName));
  if (options.publishAddress !== undefined) add('publishAddress', ipv4AddressProblem(options.publishAddress));
  if (options.rdmaResource !== undefined && !/^[a-z0-9.-]+\/[A-Za-z0-9_.-]+$/.test(options.rdmaResource)) {
    add('rdmaResource', `${JSON.stringify(options.rdmaResource)} must be an extended resource name such as rdma/rdma_shared_device_a`);
  }
  (options.apiPeerCidrs ?? []).forEach((cidr, i) => {
    const [ip, bits, extra] = cidr.split('/');
    if (extra !== undefined || bits === undefined || !/^(0|[1-9][0-9]?)$/.test(bits) || Number(bits) > 32 || ipv4AddressProblem(ip) !== undefined) {
      add(`apiPeerCidrs[${i}]`, `${JSON.stringify(cidr)} must be an IPv4 CIDR block such as 10.0.0.0/16`);
    }
  });
  return issues;
}

/** Throw a PlanError listing every problem with the options. */
export function checkLocalOptions(options: CheckedLocalOptions): void {
  const issues = localOptionIssues(options);
  if (issues.length > 0) throw new PlanError(issues);
}
