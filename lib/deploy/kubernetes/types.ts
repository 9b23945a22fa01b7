/**
 * The Kubernetes fields the workload renderer emits, typed after the API reference (core/v1,
 * apps/v1; https://kubernetes.io/docs/reference/kubernetes-api/) and the LeaderWorkerSet CRD
 * (leaderworkerset.x-k8s.io/v1, https://github.com/kubernetes-sigs/lws). Only what we set is
 * declared: a typo in a field name is a compile error here, not a silently ignored key on the
 * cluster. Tests validate rendered objects against the pinned OpenAPI and CRD schemas.
 */

/** metav1.ObjectMeta (subset). */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** core/v1 EnvVar: a literal value or a Secret key. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string; readonly optional?: boolean } };
}

/** core/v1 HTTPGetAction probe. */
export interface Probe {
  readonly httpGet: { readonly path: string; readonly port: string | number };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** core/v1 VolumeMount (subset). */
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  /** One entry of the volume (a ConfigMap key) mounted as a single file at mountPath. */
  readonly subPath?: string;
}

/** core/v1 Container (subset). Resource quantities are strings ("8", "740Gi"). */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly { readonly name: string; readonly containerPort: number; readonly protocol: 'TCP' }[];
  readonly resources?: {
    readonly limits?: Readonly<Record<string, string>>;
    readonly requests?: Readonly<Record<string, string>>;
  };
  readonly startupProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly volumeMounts?: readonly VolumeMount[];
  readonly securityContext?: {
    readonly privileged?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
    readonly seccompProfile?: { readonly type: 'Unconfined' | 'RuntimeDefault' };
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
    readonly runAsGroup?: number;
    readonly readOnlyRootFilesystem?: boolean;
  };
}

/** core/v1 Volume (the sources we use). */
export interface Volume {
  readonly name: string;
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  readonly emptyDir?: { readonly medium?: 'Memory'; readonly sizeLimit: string };
  readonly hostPath?: { readonly path: string; readonly type: 'Directory' };
  readonly configMap?: { readonly name: string; readonly defaultMode?: number };
}

/** core/v1 Toleration. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
}

/** core/v1 PodSpec (subset). */
export interface PodSpec {
  readonly initContainers?: readonly Container[];
  readonly containers: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly hostNetwork?: boolean;
  readonly dnsPolicy?: 'ClusterFirstWithHostNet';
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly terminationGracePeriodSeconds?: number;
}

/** core/v1 PodTemplateSpec. */
export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec: PodSpec;
}

/** Access modes of claims and volumes. */
export type AccessMode = 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';

/** core/v1 PersistentVolumeClaim. */
export interface PersistentVolumeClaim {
  readonly apiVersion: 'v1';
  readonly kind: 'PersistentVolumeClaim';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly accessModes: readonly AccessMode[];
    /** '' binds only to a pre-provisioned volume (static provisioning). */
    readonly storageClassName?: string;
    /** The PersistentVolume to bind to (static provisioning). */
    readonly volumeName?: string;
    readonly resources: { readonly requests: { readonly storage: string } };
  };
}

/** apps/v1 Deployment (subset). */
export interface Deployment {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number;
    readonly strategy: { readonly type: 'Recreate' };
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: PodTemplateSpec;
  };
}

/** leaderworkerset.x-k8s.io/v1 LeaderWorkerSet (subset). */
export interface LeaderWorkerSet {
  readonly apiVersion: 'leaderworkerset.x-k8s.io/v1';
  readonly kind: 'LeaderWorkerSet';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number;
    readonly leaderWorkerTemplate: {
      /** Pods per group: the leader plus size − 1 workers. */
      readonly size: number;
      readonly restartPolicy: 'RecreateGroupOnPodRestart' | 'None';
      readonly leaderTemplate: PodTemplateSpec;
      readonly workerTemplate: PodTemplateSpec;
    };
  };
}

/** core/v1 Service (ClusterIP, or LoadBalancer behind a load-balancer controller). */
export interface Service {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type: 'ClusterIP' | 'LoadBalancer';
    /** Which controller provisions the load balancer (LoadBalancer only). */
    readonly loadBalancerClass?: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: string | number; readonly protocol: 'TCP' }[];
  };
}

/** core/v1 ConfigMap (text data only). */
export interface ConfigMap {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly metadata: ObjectMeta;
  readonly data: Readonly<Record<string, string>>;
}

/** networking.k8s.io/v1 NetworkPolicy (ingress only). */
export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly podSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly policyTypes: readonly ['Ingress'];
    readonly ingress: readonly {
      readonly from: readonly ({ readonly podSelector: { readonly matchLabels?: Readonly<Record<string, string>> } } | { readonly ipBlock: { readonly cidr: string } })[];
      readonly ports?: readonly { readonly protocol: 'TCP'; readonly port: number }[];
    }[];
  };
}

/** The objects of one serving workload. */
export type WorkloadObject = PersistentVolumeClaim | ConfigMap | Deployment | LeaderWorkerSet | Service | NetworkPolicy;

/** Every object the workload renderer emits (alias kept for the local adapter's name). */
export type KubernetesObject = WorkloadObject;
