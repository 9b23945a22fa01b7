/**
 * What every local renderer (compose, systemd, Kubernetes, preflight, README) derives the same way
 * from a plan: resource names, the container argv per role, start-up time, the health-check command
 * and where the weights live on the host.
 */
import type { Plan } from '../../lib';
import { engineTraits, entrypointOverride } from '../../lib/serving';
import { apiFrontKeyTemplate, apiFrontSpec, bindBehindFront, renderApiFrontConfig, type ApiFrontSpec } from '../../lib/deploy/api-front';
import { roleArgv, type Role } from '../../lib/deploy/kubernetes/launch';

// Shared with the EKS construct: names, start-up budget, argv per role and llama.cpp threads live in lib.
export {
  CONTAINER_MODELS_DIR, STARTUP_BASE_SECONDS, STARTUP_LOAD_BYTES_PER_SECOND, kubernetesArgv, llamacppThreads, resourceName, roleArgv,
  startupSeconds, type Role,
} from '../../lib/deploy/kubernetes/launch';

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

/** The roles a plan needs: one container on one node, or a head and workers. */
export function rolesOf(plan: Plan): readonly Role[] {
  return plan.topology.nodes > 1 ? ['head', 'worker'] : ['single'];
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
