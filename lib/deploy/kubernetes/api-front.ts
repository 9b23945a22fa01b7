/**
 * The API front in the serving pod (issue 13 §3; the policy and nginx configuration are
 * lib/deploy/api-front.ts's, shared with EC2 and local compose/systemd): an nginx container next to
 * the engine in the single-node pod or the LeaderWorkerSet's leader pod. Containers of a pod share
 * its network namespace, so the engine binds 127.0.0.1 on the port above the plan's and only the
 * front, on the plan's port, is reachable from the pod's IP: the Service, the NetworkPolicy and the
 * kubelet's probes all target the front.
 *
 * - Configuration: `nginx.conf` and the key template come from the ConfigMap `<name>-api-front`,
 *   each mounted as one file (subPath), so the template directory holds only the template (a whole
 *   ConfigMap directory would add its `..data` links, which the entrypoint's `find -follow` renders
 *   twice). The key reaches nginx as the engine's variable from the Secret `<name>-api-key`; the
 *   image's entrypoint substitutes it into `/etc/nginx/conf.d/api-key.map`, an in-memory emptyDir,
 *   so the rendered key never lands on the node's disk.
 * - Probes: the kubelet reaches the pod's IP, not its loopback, so readiness and liveness go through
 *   the front: the health path and, where the engine's readiness path differs (SGLang's
 *   `/health_generate`), that path too are open without the key (`probedApiFrontSpec`).
 * - Non-root with a read-only root filesystem: the official image's `nginx` user (uid/gid 101);
 *   nginx.conf moves the pid file to /tmp; emptyDirs for conf.d (the rendered key), /var/cache/nginx
 *   (request bodies above nginx's in-memory buffer and proxy temp files) and /tmp. No capabilities
 *   (the port is above 1024), RuntimeDefault seccomp, no privilege escalation.
 * - Restarts: the front has no liveness probe (nginx exiting restarts it). In a LeaderWorkerSet any
 *   container's restart recreates the whole group (`RecreateGroupOnPodRestart`: LWS checks every
 *   container's restartCount, `ContainerRestarted` in
 *   https://github.com/kubernetes-sigs/lws/blob/main/pkg/utils/pod/pod_utils.go), so an OOM-killed
 *   front would reload the model on every node: hence a memory limit well above the estimate.
 * - Resources (assumptions, not measurements): one worker process with 1024 connections, each with a
 *   4 KiB request pool, a 1 KiB header buffer, an 8 KiB large-header buffer, a 16 KiB body buffer and
 *   an 8 KiB proxy buffer (proxy buffering is off): 1024 × 37 KiB ≈ 37 MiB, within the 64 MiB
 *   request; the 256 MiB limit leaves about 7× headroom. A quarter CPU is requested; no CPU limit, so
 *   a burst of requests is not throttled. The body cache allows 16 concurrent maximal request bodies
 *   (16 × 64 MiB = 1 GiB); kubelet evicts the pod when an emptyDir outgrows its limit, so the limit is
 *   generous.
 */
import {
  API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH, API_FRONT_MAX_BODY_MIB, API_FRONT_READ_ONLY_PID_PATH, API_FRONT_USER_ID,
  API_FRONT_WRITABLE_DIRS, apiFrontKeyTemplate, probedApiFrontSpec, renderApiFrontConfig, type ApiFrontSpec,
} from '../api-front';
import type { Plan } from '../../plan/types';
import type { ConfigMap, Container, EnvVar, ObjectMeta, Volume, VolumeMount } from './types';

/** Name of the front's container in the serving pod. */
export const FRONT_CONTAINER_NAME = 'api-front';

/** Keys of the front's ConfigMap. */
export const FRONT_CONFIG_KEYS = { config: 'nginx.conf', keyTemplate: 'api-key.map.template' } as const;

/** Concurrent maximal request bodies the front's body cache holds (see the file comment). */
export const FRONT_CACHED_BODIES = 16;

/** Requests and limits of the front container (see the file comment for the assumptions). */
export const FRONT_RESOURCES = {
  requests: { cpu: '250m', memory: '64Mi' },
  limits: { memory: '256Mi' },
} as const;

/** Volumes of the front, by name. */
const VOLUME = { config: 'front-config', renderedConfig: 'front-conf-d', cache: 'front-cache', tmp: 'front-tmp' } as const;

/** Name of the ConfigMap holding the front's configuration. */
export function apiFrontConfigMapName(name: string): string {
  return `${name}-api-front`;
}

/** The front of a Kubernetes workload: the plan's, with the readiness path open for the kubelet. */
export function kubernetesApiFrontSpec(plan: Plan): ApiFrontSpec {
  return probedApiFrontSpec(plan);
}

/**
 * Pod-template annotation carrying a hash of the front's ConfigMap. Files mounted with subPath never
 * see a changed ConfigMap (https://kubernetes.io/docs/concepts/storage/volumes/#configmap), so a new
 * configuration must replace the pod: changing the annotation changes the pod template, which rolls
 * the Deployment and recreates the LeaderWorkerSet group.
 */
export const FRONT_CONFIG_HASH_ANNOTATION = 'deepseek-iac/api-front-config';

/** FNV-1a 32-bit hash (hex) of the ConfigMap's keys and values: a change detector, not a security measure. */
export function apiFrontConfigHash(configMap: ConfigMap): string {
  let h = 0x811c9dc5;
  for (const [k, v] of Object.entries(configMap.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const ch of `${k}\u0000${v}\u0000`) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/** The ConfigMap with the front's nginx.conf (pid file on the writable /tmp) and key template. */
export function apiFrontConfigMap(spec: ApiFrontSpec, metadata: ObjectMeta): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    data: {
      [FRONT_CONFIG_KEYS.config]: renderApiFrontConfig(spec, { pidPath: API_FRONT_READ_ONLY_PID_PATH }),
      [FRONT_CONFIG_KEYS.keyTemplate]: apiFrontKeyTemplate(spec),
    },
  };
}

/** The pod volumes the front mounts. */
export function apiFrontVolumes(name: string): Volume[] {
  return [
    { name: VOLUME.config, configMap: { name: apiFrontConfigMapName(name) } },
    // The rendered key map: in memory, never on the node's disk.
    { name: VOLUME.renderedConfig, emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    { name: VOLUME.cache, emptyDir: { sizeLimit: `${FRONT_CACHED_BODIES * API_FRONT_MAX_BODY_MIB}Mi` } },
    { name: VOLUME.tmp, emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
  ];
}

/**
 * The front container. `apiKey` is the engine's key variable (from the Secret); the image's
 * default command (`nginx -g 'daemon off;'`) runs its entrypoint, which renders the key template.
 */
export function apiFrontContainer(spec: ApiFrontSpec, apiKey: EnvVar): Container {
  const mounts: VolumeMount[] = [
    { name: VOLUME.config, mountPath: API_FRONT_CONFIG_PATH, subPath: FRONT_CONFIG_KEYS.config, readOnly: true },
    { name: VOLUME.config, mountPath: API_FRONT_KEY_TEMPLATE_PATH, subPath: FRONT_CONFIG_KEYS.keyTemplate, readOnly: true },
    { name: VOLUME.renderedConfig, mountPath: API_FRONT_WRITABLE_DIRS.renderedConfig },
    { name: VOLUME.cache, mountPath: API_FRONT_WRITABLE_DIRS.cache },
    { name: VOLUME.tmp, mountPath: API_FRONT_WRITABLE_DIRS.tmp },
  ];
  return {
    name: FRONT_CONTAINER_NAME,
    image: API_FRONT_IMAGE,
    env: [apiKey],
    ports: [{ name: 'http', containerPort: spec.listenPort, protocol: 'TCP' }],
    resources: { requests: { ...FRONT_RESOURCES.requests }, limits: { ...FRONT_RESOURCES.limits } },
    volumeMounts: mounts,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: API_FRONT_USER_ID,
      runAsGroup: API_FRONT_USER_ID,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}
