/**
 * The serving workload of a plan as Kubernetes objects, shared by the local `--k8s` output and the
 * EKS construct: a weights PersistentVolumeClaim (unless the weights live on the node), the API
 * front's ConfigMap, the engine as a Deployment (one node) or a LeaderWorkerSet (several nodes,
 * leaderworkerset.x-k8s.io/v1), a Service in front of the serving pod and a NetworkPolicy.
 *
 * - GPUs are requested as the device plugins' extended resources: `nvidia.com/gpu` (NVIDIA device
 *   plugin / GPU operator) or `amd.com/gpu` (ROCm device plugin), which also mount /dev/kfd and
 *   /dev/dri; so the plan's device list is not mounted by hand on AMD. Capabilities and the
 *   seccomp option of the ROCm container options carry over.
 * - EFA: with `efa: true` and a plan with EFA interfaces, every pod requests
 *   `vpc.amazonaws.com/efa` = the plan's EFA interfaces per node (AWS EFA Kubernetes device plugin,
 *   https://github.com/aws/eks-charts/tree/master/stable/aws-efa-k8s-device-plugin), which mounts
 *   the uverbs devices: /dev/infiniband is then not mounted by hand and needs no privileged pod.
 * - Shared memory: an in-memory emptyDir at /dev/shm of the plan's size instead of host IPC, as the
 *   vLLM LWS example does (docs.vllm.ai deployment/frameworks/lws).
 * - The API key comes from the Secret `<name>-api-key` (key `api-key`), created by the operator;
 *   without it the pod does not start.
 * - Multi-node: LWS injects LWS_LEADER_ADDRESS and LWS_WORKER_INDEX into every pod; the plan's
 *   `${HEAD_ADDR}` / `${NODE_RANK}` become the `$(VAR)` references Kubernetes expands in command
 *   and args.
 * - Hardening (issue 13): no pod is privileged and none uses host networking, so a NetworkPolicy
 *   can apply. RDMA (multi-node without EFA) comes from an RDMA device plugin's resource
 *   (`rdma/rdma_shared_device_a`, the Mellanox k8s-rdma-shared-dev-plugin's example name; set
 *   `rdmaResource` for yours), EFA from the EFA device plugin, each plus IPC_LOCK to register memory,
 *   instead of a privileged container with /dev/infiniband mounted. No privilege escalation. A
 *   NetworkPolicy admits the API port from the allowed peers (pods of the namespace, or
 *   `apiPeerCidrs`) and, between the pods of one multi-node group, every port (NCCL, Ray, PyTorch
 *   distributed pick theirs at run time).
 * - Requests: GPUs (and the RDMA/EFA resource) as limits; CPU and memory as requests, by stated
 *   assumptions: 2 CPUs per GPU (one engine worker process per GPU plus the API server and
 *   tokenizer) and memory = the /dev/shm volume (an in-memory emptyDir counts against the pod) +
 *   16 GiB for the engine process.
 * - API front (issue 13 §3, ./api-front.ts): the serving pod (single node, or the LWS leader) runs
 *   nginx next to the engine, with lib/deploy/api-front.ts's policy (`/v1/*` with the key, the
 *   health and readiness paths without it, 404 elsewhere). The engine's API socket is bound to
 *   127.0.0.1 on the port above the plan's; its distributed ports (Ray, torch.distributed, NCCL) stay
 *   on the pod IP for the workers. The Service, the NetworkPolicy and the probes use the front's
 *   port (the plan's). The front runs as non-root on a read-only root filesystem.
 * - Not done: runAsNonRoot for the engine. The vLLM and SGLang images run as root and write their
 *   caches under /root; forcing another user breaks them.
 */
import type { Plan } from '../../plan/types';
import { NODE_VARIABLES } from '../container-run';
import { checkLocalOptions } from '../options-check';
import type {
  AccessMode, Container, Deployment, EnvVar, LeaderWorkerSet, NetworkPolicy, ObjectMeta, PersistentVolumeClaim, PodSpec, Probe,
  Service, Toleration, Volume, VolumeMount, WorkloadObject,
} from './types';
import { CONTAINER_MODELS_DIR, kubernetesArgv, llamacppThreads, resourceName, startupSeconds, type Role } from './launch';
import type { ApiFrontSpec } from '../api-front';
import {
  FRONT_CONFIG_HASH_ANNOTATION, apiFrontConfigHash, apiFrontConfigMap, apiFrontConfigMapName, apiFrontContainer, apiFrontVolumes, kubernetesApiFrontSpec,
} from './api-front';

const GiB = 2 ** 30;
/** Probe period, seconds; the start-up probe allows startupSeconds ÷ this many failures. */
const PROBE_PERIOD_SECONDS = 10;

/** Default extended resource of the RDMA shared device plugin (see the file comment). */
export const DEFAULT_RDMA_RESOURCE = 'rdma/rdma_shared_device_a';
/** Assumed CPUs per GPU requested for an engine pod. */
export const CPUS_PER_GPU = 2;
/** Assumed memory of the engine process besides /dev/shm, GiB. */
export const ENGINE_PROCESS_MEMORY_GIB = 16;

/** Extended resource a GPU vendor's device plugin advertises. */
export const GPU_RESOURCE: Readonly<Record<'nvidia' | 'amd', string>> = { nvidia: 'nvidia.com/gpu', amd: 'amd.com/gpu' };
/** Extended resource the AWS EFA device plugin advertises (one per EFA interface). */
export const EFA_RESOURCE = 'vpc.amazonaws.com/efa';
/** LWS pod label holding the set's name (selector of the vLLM LWS example's Service). */
export const LWS_NAME_LABEL = 'leaderworkerset.sigs.k8s.io/name';
/** Key inside the API-key Secret. */
export const API_KEY_SECRET_KEY = 'api-key';

/** Name of the Secret holding the API key. */
export function apiKeySecretName(name: string): string {
  return `${name}-api-key`;
}

/** Name of the weights claim. */
export function weightsClaimName(name: string): string {
  return `${name}-weights`;
}

/**
 * Where the weights live in the pod:
 * - `claim`: a PersistentVolumeClaim `<name>-weights` the renderer creates (dynamic provisioning
 *   with `storageClassName`, or bound to the pre-provisioned `volumeName`), mounted read-only;
 * - `emptyDir`: node-local scratch of `sizeGiB` (the node's instance-store RAID0 or its data
 *   volume), filled by the `download` init container at every pod start.
 */
export type WeightsVolume =
  | {
    readonly kind: 'claim';
    /** StorageClass; '' binds to `volumeName` only. @default the cluster's default class */
    readonly storageClassName?: string;
    /** Pre-provisioned PersistentVolume to bind. @default dynamic provisioning */
    readonly volumeName?: string;
    /** @default ReadWriteOnce for one node, ReadWriteMany for several */
    readonly accessMode?: AccessMode;
    /** Where the claim is mounted; the engine reads `<models dir>/<model id>`. @default /models */
    readonly mountPath?: string;
  }
  | { readonly kind: 'emptyDir'; readonly sizeGiB: number };

/** An init container that fills an `emptyDir` weights volume before the engine starts. */
export interface WeightsDownload {
  /** Image to run. @default the engine image */
  readonly image?: string;
  /** Full argv (command) of the download; it writes below /models. */
  readonly command: readonly string[];
  /** Literal environment of the download (no secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets handed to the download as variables, e.g. HF_TOKEN. */
  readonly secretEnv?: readonly { readonly name: string; readonly secretName: string; readonly key: string }[];
}

/** Options of {@link kubernetesObjects}. */
export interface KubernetesOptions {
  /** Base name of every object. @default derived from the model id */
  readonly name?: string;
  /** Namespace of every object. @default none (kubectl's current namespace) */
  readonly namespace?: string;
  /** StorageClass of the weights claim (shorthand for `weights: { kind: 'claim', storageClassName }`). @default the cluster's default class */
  readonly storageClassName?: string;
  /** Where the weights live. @default a claim `<name>-weights` of the plan's volume size */
  readonly weights?: WeightsVolume;
  /** Init container filling an `emptyDir` weights volume. @default none */
  readonly download?: WeightsDownload;
  /** Node labels the pods must match (e.g. the Karpenter NodePool's). @default none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Tolerations besides the GPU vendor's `<gpu resource>:NoSchedule`. @default none */
  readonly tolerations?: readonly Toleration[];
  /**
   * Request the plan's EFA interfaces per node as `vpc.amazonaws.com/efa` (needs the AWS EFA device
   * plugin) instead of mounting /dev/infiniband from the host in a privileged container.
   * @default false
   */
  readonly efa?: boolean;
  /** Extra environment of the engine containers (no secrets). @default none */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /**
   * Service type: `ClusterIP` (in-cluster callers), or an internal Network Load Balancer via the
   * AWS Load Balancer Controller (`loadBalancerClass: service.k8s.aws/nlb`).
   * @default 'ClusterIP'
   */
  readonly service?: 'ClusterIP' | 'internal-nlb';
  /** Extended resource of the cluster's RDMA device plugin (multi-node without EFA). @default rdma/rdma_shared_device_a */
  readonly rdmaResource?: string;
  /** CIDR blocks allowed to reach the API port. @default pods of the same namespace */
  readonly apiPeerCidrs?: readonly string[];
  /**
   * Emit the NetworkPolicy (API port from the allowed peers, every port within a multi-node group).
   * @default true
   */
  readonly networkPolicy?: boolean;
}

/**
 * Annotations of the AWS Load Balancer Controller for an internal NLB with IP targets
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/).
 */
export const INTERNAL_NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
};
/** loadBalancerClass the AWS Load Balancer Controller serves. */
export const AWS_NLB_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

/** Kubernetes expands `$(VAR)` in command/args: escape literal ones, then map the node variables to LWS's variables. */
export function kubernetesInterpolated(text: string): string {
  return text
    .replace(/\$\(/g, '$$$$(')
    .split(NODE_VARIABLES.headAddr).join('$(LWS_LEADER_ADDRESS)')
    .split(NODE_VARIABLES.nodeRank).join('$(LWS_WORKER_INDEX)');
}

/** Labels every object carries. */
export function workloadLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'deepseek-iac' };
}

/** Everything the pod templates need, resolved once. */
interface PodContext {
  readonly plan: Plan;
  readonly name: string;
  readonly options: KubernetesOptions;
  readonly weights: WeightsVolume;
  /** The API front of the serving pod (lib/deploy/kubernetes/api-front.ts). */
  readonly front: ApiFrontSpec;
}

/** The objects for a plan, in apply order: claim (if any), front ConfigMap, workload, Service, NetworkPolicy (unless disabled). */
export function kubernetesObjects(plan: Plan, options: KubernetesOptions = {}): WorkloadObject[] {
  checkLocalOptions({
    // '' is a valid class on a claim bound to a pre-provisioned volume: only a named class is checked.
    name: options.name, storageClassName: options.storageClassName || (options.weights?.kind === 'claim' && options.weights.storageClassName ? options.weights.storageClassName : undefined),
    rdmaResource: options.rdmaResource, apiPeerCidrs: options.apiPeerCidrs,
  });
  const name = resourceName(plan, options.name);
  const labels = workloadLabels(name);
  const meta = (extra: ObjectMeta = {}): ObjectMeta => ({
    name, ...(options.namespace ? { namespace: options.namespace } : {}), labels, ...extra,
  });
  const multi = plan.topology.nodes > 1;
  const weights: WeightsVolume = options.weights
    ?? { kind: 'claim', ...(options.storageClassName !== undefined ? { storageClassName: options.storageClassName } : {}) };
  const front = kubernetesApiFrontSpec(plan);
  const ctx: PodContext = { plan, name, options, weights, front };
  const objects: WorkloadObject[] = [];

  if (weights.kind === 'claim') {
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta({ name: weightsClaimName(name) }),
      spec: {
        // Every pod of a multi-node group mounts the same weights, on different nodes.
        accessModes: [weights.accessMode ?? (multi ? 'ReadWriteMany' : 'ReadWriteOnce')],
        ...(weights.storageClassName !== undefined ? { storageClassName: weights.storageClassName } : {}),
        ...(weights.volumeName !== undefined ? { volumeName: weights.volumeName } : {}),
        resources: { requests: { storage: `${plan.storage.volumeGiB}Gi` } },
      },
    };
    objects.push(claim);
  }
  const frontConfig = apiFrontConfigMap(front, meta({ name: apiFrontConfigMapName(name) }));
  objects.push(frontConfig);
  // The serving pod is replaced when the front's configuration changes (subPath mounts never update).
  const servingAnnotations = { [FRONT_CONFIG_HASH_ANNOTATION]: apiFrontConfigHash(frontConfig) };

  if (!multi) {
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(),
      spec: {
        replicas: 1,
        // GPUs cannot be shared during a rolling update: stop the old pod first.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: { metadata: { labels, annotations: servingAnnotations }, spec: podSpec(ctx, 'single') },
      },
    };
    objects.push(deployment);
  } else {
    const lws: LeaderWorkerSet = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: meta(),
      spec: {
        replicas: 1,
        leaderWorkerTemplate: {
          size: plan.topology.nodes,
          // One rank failing breaks the whole tensor/pipeline group: restart it together.
          restartPolicy: 'RecreateGroupOnPodRestart',
          leaderTemplate: { metadata: { labels: { ...labels, role: 'leader' }, annotations: servingAnnotations }, spec: podSpec(ctx, 'head') },
          workerTemplate: { metadata: { labels: { ...labels, role: 'worker' } }, spec: podSpec(ctx, 'worker') },
        },
      },
    };
    objects.push(lws);
  }

  const nlb = options.service === 'internal-nlb';
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(nlb ? { annotations: INTERNAL_NLB_ANNOTATIONS } : {}),
    spec: {
      type: nlb ? 'LoadBalancer' : 'ClusterIP',
      ...(nlb ? { loadBalancerClass: AWS_NLB_LOAD_BALANCER_CLASS } : {}),
      selector: multi ? { [LWS_NAME_LABEL]: name, role: 'leader' } : { 'app.kubernetes.io/name': name },
      // 'http' is the front's container port: nothing reaches the engine but through it.
      ports: [{ name: 'http', port: plan.serving.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  objects.push(service);
  if (options.networkPolicy !== false) {
    const group = { 'app.kubernetes.io/name': name };
    const policy: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(),
      spec: {
        podSelector: { matchLabels: group },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: options.apiPeerCidrs && options.apiPeerCidrs.length > 0 ? options.apiPeerCidrs.map((cidr) => ({ ipBlock: { cidr } })) : [{ podSelector: {} }],
            // The front's port only: the engine's API socket is on loopback.
            ports: [{ protocol: 'TCP', port: front.listenPort }],
          },
          ...(multi ? [{ from: [{ podSelector: { matchLabels: group } }] }] : []),
        ],
      },
    };
    objects.push(policy);
  }
  return objects;
}

/** The plan uses RDMA (/dev/infiniband) and no EFA device plugin provides it: the RDMA device plugin does. */
function rdmaRequested(ctx: PodContext): boolean {
  return ctx.plan.serving.container.devices.includes('/dev/infiniband') && !efaRequested(ctx);
}

function efaRequested(ctx: PodContext): boolean {
  return ctx.options.efa === true && ctx.plan.topology.efaInterfacesPerNode > 0;
}

function podSpec(ctx: PodContext, role: Role): PodSpec {
  const { plan, name, options, weights } = ctx;
  const c = plan.serving.container;
  const gpuKey = plan.topology.gpuVendor === 'cpu' ? undefined : GPU_RESOURCE[plan.topology.gpuVendor];
  const volumes: Volume[] = [
    weights.kind === 'claim'
      ? { name: 'weights', persistentVolumeClaim: { claimName: weightsClaimName(name), readOnly: true } }
      : { name: 'weights', emptyDir: { sizeLimit: `${weights.sizeGiB}Gi` } },
  ];
  if (c.shmSizeGiB > 0) volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: `${c.shmSizeGiB}Gi` } });
  const tolerations: Toleration[] = [
    ...(gpuKey ? [{ key: gpuKey, operator: 'Exists' as const, effect: 'NoSchedule' as const }] : []),
    ...(options.tolerations ?? []),
  ];
  const download = weights.kind === 'emptyDir' && options.download ? [downloadContainer(plan, options.download)] : [];
  const serves = role !== 'worker';
  if (serves) volumes.push(...apiFrontVolumes(name));
  return {
    ...(download.length > 0 ? { initContainers: download } : {}),
    containers: [container(ctx, role), ...(serves ? [apiFrontContainer(ctx.front, apiKeyEnvVar(plan, name))] : [])],
    volumes,
    ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    terminationGracePeriodSeconds: 60,
  };
}

function downloadContainer(plan: Plan, d: WeightsDownload): Container {
  const env: EnvVar[] = [
    ...Object.entries(d.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    ...(d.secretEnv ?? []).map((s) => ({ name: s.name, valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } } })),
  ];
  return {
    name: 'fetch-weights',
    image: d.image ?? plan.serving.image,
    command: [...d.command],
    ...(env.length > 0 ? { env } : {}),
    volumeMounts: [{ name: 'weights', mountPath: CONTAINER_MODELS_DIR }],
  };
}

/** The API key variable of the engine, from the Secret (the engine and the front both read it). */
function apiKeyEnvVar(plan: Plan, name: string): EnvVar {
  return { name: plan.serving.apiKeyEnv, valueFrom: { secretKeyRef: { name: apiKeySecretName(name), key: API_KEY_SECRET_KEY } } };
}

/**
 * A probe of the engine through the front: the kubelet reaches the pod's IP, where only the front
 * listens (a named port would resolve among the engine container's own ports, so it is a number).
 */
function httpProbe(front: ApiFrontSpec, path: string, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): Probe {
  return { httpGet: { path, port: front.listenPort }, periodSeconds, timeoutSeconds, failureThreshold };
}

function container(ctx: PodContext, role: Role): Container {
  const { plan, name, options, weights } = ctx;
  const s = plan.serving;
  const c = s.container;
  const t = plan.topology;
  const serves = role !== 'worker';
  // The serving role's API socket moves behind the front; a worker's cluster ports stay on the pod IP.
  const argv = kubernetesArgv(plan, role, serves ? ctx.front : undefined);
  const rdma = rdmaRequested(ctx);
  const env: EnvVar[] = [
    ...Object.entries({ ...s.env, ...(options.extraEnv ?? {}) }).map(([k, v]) => ({ name: k, value: v })),
    // The engine keeps its own key check on /v1/* behind the front.
    ...(serves ? [apiKeyEnvVar(plan, name)] : []),
  ];

  const resources = t.gpuVendor === 'cpu'
    ? { requests: { cpu: String(llamacppThreads(plan)), memory: `${Math.ceil(plan.memory.perGpuBytes / GiB)}Gi` } }
    : {
      limits: {
        [GPU_RESOURCE[t.gpuVendor]]: String(t.gpusPerNode),
        ...(efaRequested(ctx) ? { [EFA_RESOURCE]: String(t.efaInterfacesPerNode) } : {}),
        ...(rdma ? { [options.rdmaResource ?? DEFAULT_RDMA_RESOURCE]: '1' } : {}),
      },
      requests: { cpu: String(CPUS_PER_GPU * t.gpusPerNode), memory: `${c.shmSizeGiB + ENGINE_PROCESS_MEMORY_GIB}Gi` },
    };
  const seccompUnconfined = c.securityOpt.includes('seccomp=unconfined');
  // Never privileged: RDMA and EFA need only IPC_LOCK (memory registration) once a device plugin hands the device in.
  const capabilities = [...new Set([...c.capAdd, ...(rdma || efaRequested(ctx) ? ['IPC_LOCK'] : [])])];
  const securityContext = {
    allowPrivilegeEscalation: false,
    ...(capabilities.length > 0 ? { capabilities: { add: capabilities } } : {}),
    ...(seccompUnconfined ? { seccompProfile: { type: 'Unconfined' as const } } : {}),
  };
  const weightsMount: VolumeMount = weights.kind === 'claim'
    ? { name: 'weights', mountPath: weights.mountPath ?? CONTAINER_MODELS_DIR, readOnly: true }
    : { name: 'weights', mountPath: CONTAINER_MODELS_DIR, readOnly: true };

  return {
    name: role === 'worker' ? 'worker' : 'engine',
    image: s.image,
    ...(argv.command ? { command: argv.command.map(kubernetesInterpolated) } : {}),
    ...(argv.args.length > 0 ? { args: argv.args.map(kubernetesInterpolated) } : {}),
    ...(env.length > 0 ? { env } : {}),
    resources,
    ...(serves
      ? {
        startupProbe: httpProbe(ctx.front, s.healthPath, PROBE_PERIOD_SECONDS, 5, Math.ceil(startupSeconds(plan) / PROBE_PERIOD_SECONDS)),
        readinessProbe: httpProbe(ctx.front, s.readinessPath, PROBE_PERIOD_SECONDS, 5, 3),
        livenessProbe: httpProbe(ctx.front, s.healthPath, 30, 10, 5),
      }
      : {}),
    volumeMounts: [
      weightsMount,
      ...(c.shmSizeGiB > 0 ? [{ name: 'dshm', mountPath: '/dev/shm' }] : []),
    ],
    securityContext,
  };
}
