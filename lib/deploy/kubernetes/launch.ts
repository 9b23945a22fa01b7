/**
 * What the Kubernetes workload derives from a plan besides the objects themselves: object names,
 * the container argv per role, the start-up budget and llama.cpp's thread count. The local
 * adapter (constructs/local/launch.ts) has the same functions for compose and systemd; these are
 * the framework-free copies the EKS construct and the local `--k8s` output share.
 */
import type { Plan } from '../../plan/types';
import { MODEL_MOUNT_PATH } from '../../plan/planner';
import { entrypointOverride } from '../../serving';
import { bindBehindFront, type ApiFrontSpec } from '../api-front';

/** Where the plan's launch expects the weights inside the container (`<mount>/<model id>`). */
export const CONTAINER_MODELS_DIR = MODEL_MOUNT_PATH;

/**
 * Seconds an engine may take from container start to healthy: a 600 s base for engine start-up,
 * compilation and graph capture (the 600 s start period used for DeepSeek-class models,
 * docs/reference-keys.md, engines §5, as in constructs/local/launch.ts), plus reading the checkpoint at 200 MB/s, an assumption chosen low
 * (network storage) so that a slow disk does not get the engine killed half-way through loading.
 */
export const STARTUP_BASE_SECONDS = 600;
/** Assumed slowest weight-loading rate, bytes/s (see {@link startupSeconds}). */
export const STARTUP_LOAD_BYTES_PER_SECOND = 200e6;

/** Which container of a deployment: the only one, or the head / a worker of a multi-node group. */
export type Role = 'single' | 'head' | 'worker';

/** Time budget for start-up, seconds, rounded up to whole 10 s probe periods. */
export function startupSeconds(plan: Plan): number {
  const seconds = STARTUP_BASE_SECONDS + plan.storage.checkpointBytes / STARTUP_LOAD_BYTES_PER_SECOND;
  return Math.ceil(seconds / 10) * 10;
}

/**
 * A DNS-1123 label (lowercase letters, digits, '-', ≤ 63 characters, starting with a letter) for
 * Kubernetes objects: the override, or the model id shortened.
 */
export function resourceName(plan: Plan, override?: string): string {
  const base = (override ?? plan.model.id).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const prefixed = /^[a-z]/.test(base) ? base : `d-${base}`;
  // Room for the longest suffix we append (`-api-key`, `-weights`, `-worker`).
  return prefixed.slice(0, 50).replace(/-+$/, '');
}

/** The argv a role runs, before any runtime-specific quoting. */
export function roleArgv(plan: Plan, role: Role): readonly string[] {
  const multi = plan.serving.multiNode;
  if (role === 'single' || !multi) return plan.serving.command;
  return role === 'head' ? multi.headCommand : multi.workerCommand;
}

/**
 * argv for Kubernetes: `command` replaces the image ENTRYPOINT, `args` replaces its CMD. With the
 * image's ENTRYPOINT kept, the launch's argv goes to `args`. With `front`, the serving role's API
 * socket moves behind it (loopback, the port above the plan's); a worker's argv is unchanged.
 */
export function kubernetesArgv(plan: Plan, role: Role, front?: ApiFrontSpec): { readonly command?: readonly string[]; readonly args: readonly string[] } {
  const argv = front && role !== 'worker' ? bindBehindFront(roleArgv(plan, role), front) : roleArgv(plan, role);
  const override = entrypointOverride(plan.serving);
  if (override === undefined) return { args: argv };
  return override.length > 0 ? { command: override, args: argv } : { command: argv, args: [] };
}

/** llama.cpp threads a launch runs (`-t N` in its argv), 1 when it sets none (llama.cpp then picks). */
export function llamacppThreads(plan: Plan): number {
  const i = plan.serving.command.indexOf('-t');
  return i >= 0 ? Number(plan.serving.command[i + 1]) : 1;
}
