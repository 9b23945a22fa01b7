/**
 * Kubernetes manifests for a plan: a PersistentVolumeClaim for the weights, the engine as a
 * Deployment (one node) or a LeaderWorkerSet (several nodes, leaderworkerset.x-k8s.io/v1), and a
 * ClusterIP Service in front of the serving pod.
 *
 * - GPUs are requested as the device plugins' extended resources: `nvidia.com/gpu` (NVIDIA device
 *   plugin / GPU operator) or `amd.com/gpu` (ROCm device plugin), which also mount /dev/kfd and
 *   /dev/dri; so the plan's device list is not mounted by hand on AMD. Capabilities and the
 *   seccomp option of the ROCm container options (serving-facts §4) carry over.
 * - Shared memory: an in-memory emptyDir at /dev/shm of the plan's size instead of host IPC, as the
 *   vLLM LWS example does (docs.vllm.ai deployment/frameworks/lws).
 * - The API key comes from the Secret `<name>-api-key` (key `api-key`), created by the operator;
 *   without it the pod does not start.
 * - Multi-node: LWS injects LWS_LEADER_ADDRESS and LWS_WORKER_INDEX into every pod; the plan's
 *   `${HEAD_ADDR}` / `${NODE_RANK}` become the `$(VAR)` references Kubernetes expands in command
 *   and args.
 * - Hardening (issue 13): no pod is privileged and none uses host networking, so a NetworkPolicy
 *   can apply. RDMA (multi-node) comes from an RDMA device plugin's resource
 *   (`rdma/rdma_shared_device_a`, the Mellanox k8s-rdma-shared-dev-plugin's example name; set
 *   `rdmaResource` for yours) plus IPC_LOCK to register memory, instead of a privileged container
 *   with /dev/infiniband mounted. No privilege escalation. A NetworkPolicy admits the API port from
 *   the allowed peers (pods of the namespace, or `apiPeerCidrs`) and, between the pods of one
 *   multi-node group, every port (NCCL, Ray, PyTorch distributed pick theirs at run time).
 * - Requests: GPUs (and the RDMA resource) as limits; CPU and memory as requests, by stated
 *   assumptions: 2 CPUs per GPU (one engine worker process per GPU plus the API server and
 *   tokenizer) and memory = the /dev/shm volume (an in-memory emptyDir counts against the pod) +
 *   16 GiB for the engine process.
 * - Not done: runAsNonRoot. The vLLM and SGLang images run as root and write their caches under
 *   /root; forcing another user breaks them.
 */
import { stringify } from 'yaml';
import type { Plan } from '../../lib';
import type { Container, KubernetesObject, PodSpec, Probe, Volume } from './k8s-types';
import {
  CONTAINER_MODELS_DIR, HEAD_ADDR_VARIABLE, NODE_RANK_VARIABLE, hardwareSummary, kubernetesArgv, llamacppThreads, resourceName,
  startupSeconds, type Role,
} from './launch';
import { checkLocalOptions } from './options-check';

const GiB = 2 ** 30;
/** Probe period, seconds; the start-up probe allows startupSeconds ÷ this many failures. */
const PROBE_PERIOD_SECONDS = 10;

/** Options of {@link kubernetesObjects}. */
export interface KubernetesOptions {
  /** Base name of every object. @default derived from the model id */
  readonly name?: string;
  /** StorageClass of the weights claim. @default the cluster's default class */
  readonly storageClassName?: string;
  /** Extended resource of the cluster's RDMA device plugin (multi-node). @default rdma/rdma_shared_device_a */
  readonly rdmaResource?: string;
  /** CIDR blocks allowed to reach the API port. @default pods of the same namespace */
  readonly apiPeerCidrs?: readonly string[];
}

/** Default extended resource of the RDMA shared device plugin (see the file comment). */
export const DEFAULT_RDMA_RESOURCE = 'rdma/rdma_shared_device_a';
/** Assumed CPUs per GPU requested for an engine pod. */
export const CPUS_PER_GPU = 2;
/** Assumed memory of the engine process besides /dev/shm, GiB. */
export const ENGINE_PROCESS_MEMORY_GIB = 16;

/** Extended resource a GPU vendor's device plugin advertises. */
export const GPU_RESOURCE: Readonly<Record<'nvidia' | 'amd', string>> = { nvidia: 'nvidia.com/gpu', amd: 'amd.com/gpu' };
/** LWS pod label holding the set's name (selector of the vLLM LWS example's Service). */
export const LWS_NAME_LABEL = 'leaderworkerset.sigs.k8s.io/name';
/** Key inside the API-key Secret. */
export const API_KEY_SECRET_KEY = 'api-key';

/** Name of the Secret holding the API key. */
export function apiKeySecretName(name: string): string {
  return `${name}-api-key`;
}

/** Kubernetes expands `$(VAR)` in command/args: escape literal ones, then map the node variables to LWS's variables. */
export function kubernetesInterpolated(text: string): string {
  return text
    .replace(/\$\(/g, '$$$$(')
    .split(HEAD_ADDR_VARIABLE).join('$(LWS_LEADER_ADDRESS)')
    .split(NODE_RANK_VARIABLE).join('$(LWS_WORKER_INDEX)');
}

/** The objects for a plan, in apply order: claim, workload, service. */
export function kubernetesObjects(plan: Plan, options: KubernetesOptions = {}): KubernetesObject[] {
  checkLocalOptions(options);
  const name = resourceName(plan, options.name);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'deepseek-iac' };
  const multi = plan.topology.nodes > 1;
  const objects: KubernetesObject[] = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `${name}-weights`, labels },
      spec: {
        // Every pod of a multi-node group mounts the same weights, on different nodes.
        accessModes: [multi ? 'ReadWriteMany' : 'ReadWriteOnce'],
        ...(options.storageClassName ? { storageClassName: options.storageClassName } : {}),
        resources: { requests: { storage: `${plan.storage.volumeGiB}Gi` } },
      },
    },
  ];

  if (!multi) {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: {
        replicas: 1,
        // GPUs cannot be shared during a rolling update: stop the old pod first.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: { metadata: { labels }, spec: podSpec(plan, 'single', name, options) },
      },
    });
  } else {
    objects.push({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name, labels },
      spec: {
        replicas: 1,
        leaderWorkerTemplate: {
          size: plan.topology.nodes,
          // One rank failing breaks the whole tensor/pipeline group: restart it together.
          restartPolicy: 'RecreateGroupOnPodRestart',
          leaderTemplate: { metadata: { labels: { ...labels, role: 'leader' } }, spec: podSpec(plan, 'head', name, options) },
          workerTemplate: { metadata: { labels: { ...labels, role: 'worker' } }, spec: podSpec(plan, 'worker', name, options) },
        },
      },
    });
  }

  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      selector: multi ? { [LWS_NAME_LABEL]: name, role: 'leader' } : { 'app.kubernetes.io/name': name },
      ports: [{ name: 'http', port: plan.serving.port, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  const group = { 'app.kubernetes.io/name': name };
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels },
    spec: {
      podSelector: { matchLabels: group },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: options.apiPeerCidrs && options.apiPeerCidrs.length > 0 ? options.apiPeerCidrs.map((cidr) => ({ ipBlock: { cidr } })) : [{ podSelector: {} }],
          ports: [{ protocol: 'TCP', port: plan.serving.port }],
        },
        ...(multi ? [{ from: [{ podSelector: { matchLabels: group } }] }] : []),
      ],
    },
  });
  return objects;
}

function podSpec(plan: Plan, role: Role, name: string, options: KubernetesOptions): PodSpec {
  const c = plan.serving.container;
  const gpuKey = plan.topology.gpuVendor === 'cpu' ? undefined : GPU_RESOURCE[plan.topology.gpuVendor];
  const volumes: Volume[] = [{ name: 'weights', persistentVolumeClaim: { claimName: `${name}-weights`, readOnly: true } }];
  if (c.shmSizeGiB > 0) volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: `${c.shmSizeGiB}Gi` } });
  return {
    containers: [container(plan, role, name, options)],
    volumes,
    ...(gpuKey ? { tolerations: [{ key: gpuKey, operator: 'Exists' as const, effect: 'NoSchedule' as const }] } : {}),
    terminationGracePeriodSeconds: 60,
  };
}

function httpProbe(path: string, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): Probe {
  return { httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds, failureThreshold };
}

function container(plan: Plan, role: Role, name: string, options: KubernetesOptions): Container {
  const s = plan.serving;
  const c = s.container;
  const t = plan.topology;
  const serves = role !== 'worker';
  const argv = kubernetesArgv(plan, role);
  const rdma = c.devices.includes('/dev/infiniband');
  const env = [
    ...Object.entries(s.env).map(([k, v]) => ({ name: k, value: v })),
    ...(serves ? [{ name: s.apiKeyEnv, valueFrom: { secretKeyRef: { name: apiKeySecretName(name), key: API_KEY_SECRET_KEY } } }] : []),
  ];

  const resources = t.gpuVendor === 'cpu'
    ? { requests: { cpu: String(llamacppThreads(plan)), memory: `${Math.ceil(plan.memory.perGpuBytes / GiB)}Gi` } }
    : {
        limits: { [GPU_RESOURCE[t.gpuVendor]]: String(t.gpusPerNode), ...(rdma ? { [options.rdmaResource ?? DEFAULT_RDMA_RESOURCE]: '1' } : {}) },
        requests: { cpu: String(CPUS_PER_GPU * t.gpusPerNode), memory: `${c.shmSizeGiB + ENGINE_PROCESS_MEMORY_GIB}Gi` },
      };
  const seccompUnconfined = c.securityOpt.includes('seccomp=unconfined');
  // Never privileged: RDMA needs only IPC_LOCK (memory registration) once the device plugin hands the device in.
  const capabilities = [...new Set([...c.capAdd, ...(rdma ? ['IPC_LOCK'] : [])])];
  const securityContext = {
    allowPrivilegeEscalation: false,
    ...(capabilities.length > 0 ? { capabilities: { add: capabilities } } : {}),
    ...(seccompUnconfined ? { seccompProfile: { type: 'Unconfined' as const } } : {}),
  };

  return {
    name: role === 'worker' ? 'worker' : 'engine',
    image: s.image,
    ...(argv.command ? { command: argv.command.map(kubernetesInterpolated) } : {}),
    ...(argv.args.length > 0 ? { args: argv.args.map(kubernetesInterpolated) } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(serves ? { ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' as const }] } : {}),
    resources,
    ...(serves
      ? {
          startupProbe: httpProbe(s.healthPath, PROBE_PERIOD_SECONDS, 5, Math.ceil(startupSeconds(plan) / PROBE_PERIOD_SECONDS)),
          readinessProbe: httpProbe(s.readinessPath, PROBE_PERIOD_SECONDS, 5, 3),
          livenessProbe: httpProbe(s.healthPath, 30, 10, 5),
        }
      : {}),
    volumeMounts: [
      { name: 'weights', mountPath: CONTAINER_MODELS_DIR, readOnly: true },
      ...(c.shmSizeGiB > 0 ? [{ name: 'dshm', mountPath: '/dev/shm' }] : []),
    ],
    securityContext,
  };
}

/** Multi-document YAML of {@link kubernetesObjects}, with a header saying how to apply it. */
export function renderKubernetes(plan: Plan, options: KubernetesOptions = {}): string {
  const name = resourceName(plan, options.name);
  const header = [
    `# ${plan.model.displayName} on ${hardwareSummary(plan)} (${plan.engine}), generated by deepseek-iac from the plan.`,
    `# kubectl create secret generic ${apiKeySecretName(name)} --from-literal=${API_KEY_SECRET_KEY}=<key>`,
    ...(plan.topology.nodes > 1 ? ['# Needs the LeaderWorkerSet controller (https://lws.sigs.k8s.io/docs/installation/).'] : []),
    `# kubectl apply -f kubernetes.yaml   (then fill ${name}-weights with ${plan.model.id}/ before the pod can start serving)`,
  ];
  const docs = kubernetesObjects(plan, options).map((o) => stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }));
  return `${header.join('\n')}\n${docs.join('---\n')}`;
}
