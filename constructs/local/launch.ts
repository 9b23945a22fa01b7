/**
 * What every local renderer (compose, systemd, Kubernetes, preflight, README) derives the same way
 * from a plan: resource names, the container argv per role, start-up time, the health-check command
 * and where the weights live on the host.
 */
import type { Plan } from '../../lib';
import { engineTraits, entrypointOverride } from '../../lib/serving';
import { apiFrontKeyTemplate, apiFrontSpec, bindBehindFront, renderApiFrontConfig, type ApiFrontSpec } from '../../lib/deploy/api-front';

/** Node variable in multi-node worker argv for the head node's address (lib/serving/container.ts). */
export const HEAD_ADDR_VARIABLE = '${HEAD_ADDR}';
/** Node variable in multi-node worker argv for the worker's node rank. */
export const NODE_RANK_VARIABLE = '${NODE_RANK}';

/** Host folder mounted at /models when the user sets none (the engine reads `/models/<model id>`). */
export const DEFAULT_MODELS_DIR = '/srv/models';
/**
 * Host address the API port is published on by default: this host only. Publishing on every
 * interface (0.0.0.0) serves the engine's whole HTTP surface — not only /v1, also /metrics and
 * vLLM's /invocations, /tokenize, /pooling and /score, which ignore the API key — in plain HTTP;
 * put an authenticating TLS proxy in front instead (README "Security").
 */
export const DEFAULT_PUBLISH_ADDRESS = '127.0.0.1';
/** Where the plan's launch expects the weights inside the container (lib/plan/planner.ts MODEL_MOUNT_PATH). */
export const CONTAINER_MODELS_DIR = '/models';

/**
 * Seconds an engine may take from container start to healthy: a 600 s base for engine start-up,
 * compilation and graph capture (the 600 s start period used for DeepSeek-class models,
 * docs/reference-keys.md, engines §5), plus reading the checkpoint at 200 MB/s. 200 MB/s is an assumption chosen low
 * (network storage, SATA) so that a slow disk does not get the engine killed half-way through loading.
 */
export const STARTUP_BASE_SECONDS = 600;
/** Assumed slowest weight-loading rate, bytes/s (see {@link startupSeconds}). */
export const STARTUP_LOAD_BYTES_PER_SECOND = 200e6;

/** Which container of a deployment: the only one, or the head / a worker of a multi-node group. */
export type Role = 'single' | 'head' | 'worker';

/** The roles a plan needs: one container on one node, or a head and workers. */
export function rolesOf(plan: Plan): readonly Role[] {
  return plan.topology.nodes > 1 ? ['head', 'worker'] : ['single'];
}

/** Time budget for start-up, seconds, rounded up to whole 10 s probe periods. */
export function startupSeconds(plan: Plan): number {
  const seconds = STARTUP_BASE_SECONDS + plan.storage.checkpointBytes / STARTUP_LOAD_BYTES_PER_SECOND;
  return Math.ceil(seconds / 10) * 10;
}

/**
 * A DNS-1123 label (lowercase letters, digits, '-', ≤ 63 characters, starting with a letter) for
 * containers, units and Kubernetes objects: the override, or `deepseek-iac-<model id>` shortened.
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
 * argv split for Docker-style runtimes (compose, `docker run`): `entrypoint` replaces the image's
 * ENTRYPOINT when the launch asks for that, and `command` follows it. A launch that clears the
 * ENTRYPOINT (`[]`) is emitted as its first word as the entrypoint: unambiguous in every runtime,
 * where an empty entrypoint list is not (compose v1 treats it as unset).
 */
export function dockerArgv(plan: Plan, role: Role): { readonly entrypoint?: readonly string[]; readonly command: readonly string[] } {
  const front = roleFront(plan, role);
  const argv = front ? bindBehindFront(roleArgv(plan, role), front) : roleArgv(plan, role);
  const override = entrypointOverride(plan.serving);
  if (override === undefined) return { command: argv };
  if (override.length > 0) return { entrypoint: override, command: argv };
  return { entrypoint: argv.slice(0, 1), command: argv.slice(1) };
}

/**
 * argv for Kubernetes: `command` replaces the image ENTRYPOINT, `args` replaces its CMD. With the
 * image's ENTRYPOINT kept, the launch's argv goes to `args`.
 */
export function kubernetesArgv(plan: Plan, role: Role): { readonly command?: readonly string[]; readonly args: readonly string[] } {
  const argv = roleArgv(plan, role);
  const override = entrypointOverride(plan.serving);
  if (override === undefined) return { args: argv };
  return override.length > 0 ? { command: override, args: argv } : { command: argv, args: [] };
}

/**
 * Health-check command run inside the engine container. llama.cpp images ship curl (their own
 * Dockerfile HEALTHCHECK uses it, docs/reference-keys.md, engines §1); vLLM and SGLang images are Python images, so
 * the check uses python3's urllib, which exits non-zero on a refused connection or an HTTP error.
 */
export function healthCheckCommand(plan: Plan, path = plan.serving.healthPath, port = plan.serving.port): readonly string[] {
  const url = `http://127.0.0.1:${port}${path}`;
  if (engineTraits(plan.engine).healthCheckWithCurl) return ['curl', '-fsS', '-o', '/dev/null', url];
  return ['python3', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=5)`];
}

/** A short description of the hardware: `8 × mi300x`, `2 nodes × 8 × h100`, or `CPU (cpu:512GiB)`. */
export function hardwareSummary(plan: Plan): string {
  const t = plan.topology;
  if (t.gpu === 'cpu') return `CPU (${t.instanceType})`;
  const perNode = `${t.gpusPerNode} × ${t.gpu}`;
  return t.nodes > 1 ? `${t.nodes} nodes × ${perNode}` : perNode;
}

/** llama.cpp threads a launch runs (`-t N` in its argv), 1 when it sets none (llama.cpp then picks). */
export function llamacppThreads(plan: Plan): number {
  const i = plan.serving.command.indexOf('-t');
  return i >= 0 ? Number(plan.serving.command[i + 1]) : 1;
}

/**
 * Docker resolves `--group-add NAME` in the container's /etc/group and refuses to start when the
 * image has no such group ("Unable to find group render", ROCm/rocm-libraries#6563: rocm/pytorch
 * bases dropped `render`). `video` is in every Debian/Ubuntu base (GID 44); any other group gets a
 * `<GROUP>_GID` variable that defaults to the name and can be set to the host's numeric GID.
 * Returns undefined for groups passed by name unchanged.
 */
export function groupGidVariable(group: string): string | undefined {
  return group === 'video' ? undefined : `${group.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_GID`;
}

/**
 * The API front of a role (lib/deploy/api-front.ts): compose and systemd run nginx in front of the
 * serving container (single or head), which binds loopback one port up; workers serve no API.
 */
export function roleFront(plan: Plan, role: Role): ApiFrontSpec | undefined {
  return role === 'worker' ? undefined : apiFrontSpec(plan);
}

/** The front's files next to compose.yaml (compose mounts them by these relative paths). */
export const FRONT_FILES = { config: 'api-front/nginx.conf', keyTemplate: 'api-front/api-key.map.template' } as const;

/** The front's configuration and key template, paths relative to the output folder. */
export function frontFiles(plan: Plan): { readonly path: string; readonly content: string }[] {
  const spec = apiFrontSpec(plan);
  return [
    { path: FRONT_FILES.config, content: renderApiFrontConfig(spec) },
    { path: FRONT_FILES.keyTemplate, content: apiFrontKeyTemplate(spec) },
  ];
}
