/**
 * compose.yaml for one host (service `engine`) or for each node of a multi-node plan (services
 * `head` and `worker` under the compose profiles of the same names).
 *
 * - GPUs: NVIDIA through a device reservation (`deploy.resources.reservations.devices`, driver
 *   nvidia, count = GPUs per node); AMD through the plan's devices (/dev/kfd, /dev/dri), groups,
 *   capabilities and seccomp option (docs/reference-keys.md, engines §4). Groups other than `video` are written
 *   `${RENDER_GID:-render}` so a host GID can stand in when the image lacks the group.
 * - The API key is never written: compose interpolates it from the shell or the `.env` file next to
 *   compose.yaml, and `${VAR:?…}` makes compose refuse to start without it (an empty key would turn
 *   authentication off).
 * - Weights: the host folder `${MODELS_DIR}` (default /srv/models) mounted read-only at /models.
 * - `$` in argv is escaped as `$$` so compose passes it through; only the multi-node node variables
 *   `${HEAD_ADDR}` / `${NODE_RANK}` are left for compose to fill, and they are required.
 * - YAML is written in 1.1 style: docker-compose v1 reads it with PyYAML (YAML 1.1), where an
 *   unquoted `on`/`yes` would turn into a boolean.
 */
import { stringify } from 'yaml';
import type { Plan } from '../../lib';
import {
  CONTAINER_MODELS_DIR, DEFAULT_MODELS_DIR, DEFAULT_PUBLISH_ADDRESS, HEAD_ADDR_VARIABLE, NODE_RANK_VARIABLE, dockerArgv, groupGidVariable,
  FRONT_FILES, hardwareSummary, healthCheckCommand, roleFront, rolesOf, startupSeconds, type Role,
} from './launch';
import { API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH } from '../../lib/deploy/api-front';
import { checkLocalOptions } from '../../lib/deploy/options-check';

/** Options of {@link renderCompose}. */
export interface ComposeOptions {
  /** Default host folder holding `<model id>/`; `MODELS_DIR` in the environment or `.env` overrides it. @default /srv/models */
  readonly modelsDir?: string;
  /** Host address the API port is published on. @default 127.0.0.1 (this host only) */
  readonly publishAddress?: string;
}

/** The compose-spec fields we emit (https://github.com/compose-spec/compose-spec/blob/main/spec.md). */
export interface ComposeService {
  readonly image: string;
  readonly profiles?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports?: readonly string[];
  /** `host`, or `service:<name>` to share another service's network namespace (the API front). */
  readonly network_mode?: string;
  readonly depends_on?: readonly string[];
  readonly ipc?: 'host';
  readonly shm_size?: string;
  readonly privileged?: boolean;
  readonly devices?: readonly string[];
  readonly group_add?: readonly string[];
  readonly cap_add?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly ulimits?: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>;
  readonly volumes: readonly string[];
  readonly deploy?: {
    readonly resources: { readonly reservations: { readonly devices: readonly { readonly driver: 'nvidia'; readonly count: number; readonly capabilities: readonly string[] }[] } };
  };
  readonly healthcheck?: { readonly test: readonly string[]; readonly interval: string; readonly timeout: string; readonly retries: number; readonly start_period: string };
  readonly restart: 'unless-stopped';
}

/** A compose file: services only (no `version`, per the Compose Specification). */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
}

/** Service name per role: `engine` on one host, `head` / `worker` on several. */
const SERVICE_NAME: Readonly<Record<Role, string>> = { single: 'engine', head: 'head', worker: 'worker' };

/** Escape `$` for compose, then re-open the multi-node node variables as required variables. */
export function composeInterpolated(text: string): string {
  return text
    .replace(/\$/g, () => '$$')
    .split(`$${HEAD_ADDR_VARIABLE}`).join('${HEAD_ADDR:?set HEAD_ADDR to the head node address}')
    .split(`$${NODE_RANK_VARIABLE}`).join('${NODE_RANK:?set NODE_RANK to this worker rank, 1 to nodes-1}');
}

/** The compose document for a plan. */
export function composeFile(plan: Plan, options: ComposeOptions = {}): ComposeFile {
  checkLocalOptions(options);
  const services: Record<string, ComposeService> = {};
  for (const role of rolesOf(plan)) {
    services[SERVICE_NAME[role]] = service(plan, role, options);
    if (roleFront(plan, role)) services[`${SERVICE_NAME[role]}-front`] = frontService(plan, role);
  }
  return { services };
}

function service(plan: Plan, role: Role, options: ComposeOptions): ComposeService {
  const s = plan.serving;
  const c = s.container;
  const argv = dockerArgv(plan, role);
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.env)) environment[k] = composeInterpolated(v);
  // Only the serving container (single or head) answers the API; workers join its cluster.
  if (role !== 'worker') environment[s.apiKeyEnv] = `\${${s.apiKeyEnv}:?set ${s.apiKeyEnv} in .env next to compose.yaml}`;

  const ulimits: Record<string, { soft: number; hard: number }> = {};
  for (const [k, v] of Object.entries(c.ulimits)) ulimits[k] = { soft: Number(v), hard: Number(v) };

  return {
    image: s.image,
    ...(role === 'single' ? {} : { profiles: [role] }),
    ...(argv.entrypoint ? { entrypoint: argv.entrypoint.map(composeInterpolated) } : {}),
    command: argv.command.map(composeInterpolated),
    environment,
    ...(c.hostNetwork ? { network_mode: 'host' as const } : role === 'worker' ? {} : { ports: [`${options.publishAddress ?? DEFAULT_PUBLISH_ADDRESS}:${s.port}:${s.port}`] }),
    ...(c.ipcHost ? { ipc: 'host' as const } : c.shmSizeGiB > 0 ? { shm_size: `${c.shmSizeGiB}gb` } : {}),
    ...(c.privileged ? { privileged: true } : {}),
    ...(c.devices.length > 0 ? { devices: [...c.devices] } : {}),
    ...(c.groupAdd.length > 0 ? { group_add: c.groupAdd.map((g) => { const v = groupGidVariable(g); return v ? `\${${v}:-${g}}` : g; }) } : {}),
    ...(c.capAdd.length > 0 ? { cap_add: [...c.capAdd] } : {}),
    ...(c.securityOpt.length > 0 ? { security_opt: [...c.securityOpt] } : {}),
    ...(Object.keys(ulimits).length > 0 ? { ulimits } : {}),
    volumes: [`\${MODELS_DIR:-${options.modelsDir ?? DEFAULT_MODELS_DIR}}:${CONTAINER_MODELS_DIR}:ro`],
    ...(c.gpuRuntime === 'nvidia'
      ? { deploy: { resources: { reservations: { devices: [{ driver: 'nvidia' as const, count: plan.topology.gpusPerNode, capabilities: ['gpu'] }] } } } }
      : {}),
    ...(role === 'worker'
      ? {}
      : { healthcheck: { test: ['CMD', ...healthCheckCommand(plan, plan.serving.healthPath, roleFront(plan, role)!.enginePort)], interval: '30s', timeout: '10s', retries: 3, start_period: `${startupSeconds(plan)}s` } }),
    restart: 'unless-stopped',
  };
}

/**
 * The API front of a serving role (lib/deploy/api-front.ts): nginx on the plan's port in the engine's
 * network namespace (the engine's published port, or the host's network on a multi-node head), the
 * engine on loopback one port up. The key reaches it like the engine's, from the environment.
 */
function frontService(plan: Plan, role: Role): ComposeService {
  const s = plan.serving;
  return {
    image: API_FRONT_IMAGE,
    ...(role === 'single' ? {} : { profiles: [role] }),
    command: ['nginx', '-g', 'daemon off;'],
    environment: { [s.apiKeyEnv]: `\${${s.apiKeyEnv}:?set ${s.apiKeyEnv} in .env next to compose.yaml}` },
    network_mode: s.container.hostNetwork ? 'host' : `service:${SERVICE_NAME[role]}`,
    depends_on: [SERVICE_NAME[role]],
    volumes: [`./${FRONT_FILES.config}:${API_FRONT_CONFIG_PATH}:ro`, `./${FRONT_FILES.keyTemplate}:${API_FRONT_KEY_TEMPLATE_PATH}:ro`],
    restart: 'unless-stopped',
  };
}

/** Groups passed through a `<GROUP>_GID` variable, with the variable. */
function gidVariables(plan: Plan): [string, string][] {
  return plan.serving.container.groupAdd.flatMap((g) => {
    const v = groupGidVariable(g);
    return v ? [[g, v] as [string, string]] : [];
  });
}

/** compose.yaml text: a header comment saying how to start it, then the document. */
export function renderCompose(plan: Plan, options: ComposeOptions = {}): string {
  const multi = plan.topology.nodes > 1;
  const header = [
    `# ${plan.model.displayName} on ${hardwareSummary(plan)} (${plan.engine}), generated by deepseek-iac from the plan.`,
    `# Put ${plan.serving.apiKeyEnv}=<key> (and MODELS_DIR=<host folder with ${plan.model.id}/> if not ${options.modelsDir ?? DEFAULT_MODELS_DIR}) in .env next to this file.`,
    ...gidVariables(plan).map(([g, v]) => `# If the image has no "${g}" group, also set ${v}=<host GID> there (preflight.sh prints it).`),
    ...(multi
      ? [
          '# Head node:    docker compose --profile head up -d',
          `# Each worker:  HEAD_ADDR=<head address> NODE_RANK=<1..${plan.topology.nodes - 1}> docker compose --profile worker up -d`,
        ]
      : ['# Start: docker compose up -d']),
  ];
  return `${header.join('\n')}\n${stringify(composeFile(plan, options), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })}`;
}
