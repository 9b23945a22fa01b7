/**
 * How a node runs the engine container: `docker run` options and the container argv for one rank,
 * derived from the plan's serving launch (image, command, env, container requirements).
 *
 * Mapping of ContainerRequirements to Docker flags (Docker `docker run` reference,
 * https://docs.docker.com/reference/cli/docker/container/run/, confirmed):
 * gpuRuntime nvidia → `--gpus all`; ipcHost → `--ipc host` (else `--shm-size`); hostNetwork →
 * `--network host` (else the engine port is published); devices → `--device` (a directory such as
 * /dev/infiniband passes every device node under it); ulimits → `--ulimit k=v`; groupAdd, capAdd,
 * securityOpt likewise. An entrypoint override of `[]` becomes `--entrypoint=` (clears the image's).
 *
 * Multi-node additions, for the engine's NCCL over EFA (docs/reference-keys.md, engines §3):
 * - `FI_PROVIDER=efa` selects libfabric's EFA provider for aws-ofi-nccl (aws-ofi-nccl wiki, third-party copy);
 * - `NCCL_SOCKET_IFNAME=^lo,docker0` keeps NCCL's TCP bootstrap off loopback and the Docker bridge
 *   (recalled, not read in a source: docs/reference-keys.md, engines §3; with efa-only secondary interfaces the primary ENI is the only
 *   other interface with an address);
 * - vLLM over Ray: `VLLM_HOST_IP` = the node's own address, which each node needs unique
 *   (https://docs.vllm.ai/en/v0.11.2/examples/online_serving/run_cluster/, confirmed); the node writes it at start.
 */
import type { Plan } from '../plan/types';
import { entrypointOverride } from '../serving';
import { MODEL_MOUNT_PATH } from '../plan/planner';
import { bindBehindFront, type ApiFrontSpec } from './api-front';

/** Node variables a multi-node argv may contain; the node substitutes them at start. */
export const NODE_VARIABLES = { headAddr: '${HEAD_ADDR}', nodeRank: '${NODE_RANK}' } as const;

/** What a node needs to start its engine container. */
export interface EngineContainer {
  readonly image: string;
  /** Static `docker run` options (GPU, IPC, network, devices, ulimits, env, entrypoint). */
  readonly dockerOptions: readonly string[];
  /** Container argv after the image; may contain the node variables. */
  readonly argv: readonly string[];
  /** Environment variable set to the node's own IP at start (vLLM over Ray), if any. */
  readonly hostIpEnv?: string;
  /** Where the weights directory is mounted inside the container (the plan's command reads `<mount>/<model id>`). */
  readonly modelMountPath: string;
  /** Whether the node serves the HTTP API (single node or rank 0). */
  readonly servesApi: boolean;
}

/** How the node exposes the engine's API. */
export interface EngineContainerOptions {
  /**
   * The API front the serving rank sits behind (lib/deploy/api-front.ts): its engine binds the
   * front's loopback address and port on the host's network, and nothing is published. Without it
   * the engine listens on the plan's port on every interface.
   * @default no front
   */
  readonly front?: ApiFrontSpec;
}

/** Environment the deployment adds to the plan's (no secrets). */
export function deploymentEnv(plan: Plan): Record<string, string> {
  if (plan.topology.nodes === 1) return {};
  const env: Record<string, string> = { NCCL_SOCKET_IFNAME: '^lo,docker0' };
  if (plan.topology.efaInterfacesPerNode > 0) env.FI_PROVIDER = 'efa';
  return env;
}

/**
 * The engine container of one rank: rank 0 runs the plan's command (the head's for multi-node),
 * other ranks the worker command.
 */
export function engineContainer(plan: Plan, rank: number, options: EngineContainerOptions = {}): EngineContainer {
  const s = plan.serving;
  const c = s.container;
  const multiNode = plan.topology.nodes > 1;
  if (multiNode && !s.multiNode) throw new Error(`plan has ${plan.topology.nodes} nodes but no multi-node launch`);
  const command = !multiNode ? s.command : rank === 0 ? s.multiNode!.headCommand : s.multiNode!.workerCommand;

  const opts: string[] = [];
  if (c.gpuRuntime === 'nvidia') opts.push('--gpus', 'all');
  if (c.ipcHost) opts.push('--ipc', 'host');
  else if (c.shmSizeGiB > 0) opts.push('--shm-size', `${c.shmSizeGiB}g`);
  // Behind the front the serving rank shares the host's network so that its loopback is the node's,
  // where only the front (and the watchdog) reach it; the engine slice's IMDS rule still applies.
  const front = rank === 0 ? options.front : undefined;
  if (c.hostNetwork || front) opts.push('--network', 'host');
  else if (rank === 0) opts.push('-p', `${s.port}:${s.port}`);
  if (c.privileged) opts.push('--privileged');
  for (const d of c.devices) opts.push('--device', d);
  for (const g of c.groupAdd) opts.push('--group-add', g);
  for (const cap of c.capAdd) opts.push('--cap-add', cap);
  for (const so of c.securityOpt) opts.push('--security-opt', so);
  for (const [k, v] of Object.entries(c.ulimits)) opts.push('--ulimit', `${k}=${v}`);
  for (const [k, v] of Object.entries({ ...s.env, ...deploymentEnv(plan) })) opts.push('-e', `${k}=${v}`);

  // docker's --entrypoint takes one word: the rest of an override leads the argv.
  const entrypoint = entrypointOverride(s);
  let argv = front ? bindBehindFront(command, front) : [...command];
  if (entrypoint !== undefined) {
    opts.push(`--entrypoint=${entrypoint[0] ?? ''}`);
    argv = [...entrypoint.slice(1), ...argv];
  }
  return {
    image: s.image,
    dockerOptions: opts,
    argv,
    ...(multiNode && s.multiNode?.hostIpEnv ? { hostIpEnv: s.multiNode.hostIpEnv } : {}),
    modelMountPath: MODEL_MOUNT_PATH,
    servesApi: rank === 0,
  };
}
