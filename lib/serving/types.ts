import type { AnyGpuId, Engine, GpuVendor, Interconnect, Precision, ResolvedKvCacheDtype, ModelArchitecture } from '../types';

/** What the serving renderer needs to know; the planner fills it from its decisions. */
export interface LaunchInput {
  readonly engine: Engine;
  readonly model: ModelArchitecture;
  /** Where the engine reads weights inside the container (a local path) or the HF id. */
  readonly modelPath: string;
  /** Name the OpenAI API serves the model under (defaults to the HF id or the catalog id). */
  readonly servedModelName: string;
  readonly precision: Precision;
  readonly kvCacheDtype: ResolvedKvCacheDtype;
  readonly gpuVendor: GpuVendor | 'cpu';
  /** GPU model, for GPU-specific kernels (B200 FlashInfer MoE). */
  readonly gpu?: AnyGpuId | 'cpu';
  /** Inter-node fabric for multi-node launches (EFA sets the libfabric provider). */
  readonly interconnect?: Interconnect;
  readonly gpusPerNode: number;
  readonly nodes: number;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  /** Replicas on the node (vLLM --data-parallel-size, SGLang --dp-size). @default 1 */
  readonly dataParallelSize?: number;
  /** Longest request (prompt + output) in tokens: vLLM --max-model-len, SGLang --context-length, llama.cpp -c per slot × slots. */
  readonly contextTokens: number;
  /** Concurrent sequences: vLLM --max-num-seqs, SGLang --max-running-requests, llama.cpp -np. */
  readonly concurrency: number;
  /** vLLM --gpu-memory-utilization / SGLang --mem-fraction-static. */
  readonly gpuMemoryUtilization: number;
  readonly port: number;
  /** CPU threads for llama.cpp. */
  readonly cpuThreads?: number;
  /** GGUF file for llama.cpp (path inside the container). */
  readonly ggufFile?: string;
}

/**
 * A rendered engine launch. `command` is the argv given to the container (after the image),
 * for the single node or the head node. Node variables `${HEAD_ADDR}` and `${NODE_RANK}` appear only
 * in multi-node argv and are substituted by whoever starts the node (user data, compose, k8s).
 * `${API_KEY}` is never embedded: the key is passed through the environment variable named in `apiKeyEnv`.
 */
export interface ServingLaunch {
  readonly engine: Engine;
  readonly image: string;
  /** argv run in the container on the single node / head node (rank 0), after the image's ENTRYPOINT unless `entrypoint` is set. */
  readonly command: readonly string[];
  /** Replaces the image's ENTRYPOINT when set (`[]` clears it: vLLM over Ray runs a shell script that starts Ray first). */
  readonly entrypoint?: readonly string[];
  /** Environment for the container (no secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Env var from which the engine's API key is read at start (the value comes from a secret store). */
  readonly apiKeyEnv: string;
  readonly port: number;
  /** Liveness path. */
  readonly healthPath: string;
  /** Readiness path (model loaded and serving). */
  readonly readinessPath: string;
  /** Container options the engine needs (ipc host, shm, devices, ulimits). */
  readonly container: ContainerRequirements;
  /** Present for nodes > 1: how workers join. */
  readonly multiNode?: MultiNodeLaunch;
}

export interface ContainerRequirements {
  readonly ipcHost: boolean;
  /** Shared memory for the container, GiB; 0 means the runtime default (llama.cpp needs none). */
  readonly shmSizeGiB: number;
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  /** Device nodes to pass through (/dev/kfd, /dev/dri for ROCm; /dev/infiniband for EFA/IB). */
  readonly devices: readonly string[];
  /** Extra groups (ROCm: video, render). */
  readonly groupAdd: readonly string[];
  /** GPU runtime: `nvidia` (--gpus all), `rocm` (devices), or `none` (CPU). */
  readonly gpuRuntime: 'nvidia' | 'rocm' | 'none';
  readonly ulimits: Readonly<Record<string, string>>;
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
}

export interface MultiNodeLaunch {
  /** How nodes rendezvous: Ray cluster (vLLM) or torch distributed init address (SGLang). */
  readonly mechanism: 'ray' | 'torch-dist';
  /** Port on the head node the workers connect to. */
  readonly rendezvousPort: number;
  /** argv for the head node before/with the engine (for Ray: the engine command is run after `ray start --head`). */
  readonly headCommand: readonly string[];
  /** argv for a worker node; contains `${HEAD_ADDR}` and, for SGLang, `${NODE_RANK}`. */
  readonly workerCommand: readonly string[];
  /** Ports that must be open between nodes (besides all-traffic for NCCL/EFA). */
  readonly clusterPorts: readonly number[];
}
