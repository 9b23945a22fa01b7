import type { AnyGpuId, CpuArchitecture, Engine, GpuVendor, Interconnect, Precision, ResolvedKvCacheDtype, ModelArchitecture } from '../types';

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
  /**
   * Data-parallel attention ranks in one engine, each at attention TP 1 with its own KV pool, the routed
   * experts sharded over all of them (vLLM `--data-parallel-size N --enable-expert-parallel`, SGLang
   * `--tp-size N --dp-size N --enable-dp-attention`). Needs `tensorParallelSize` 1 and `pipelineParallelSize` 1.
   * @default 1
   */
  readonly dataParallelSize?: number;
  /**
   * Independent copies of the model on the node (rendered as vLLM --data-parallel-size / SGLang --dp-size
   * without expert parallelism), single node only. @default 1
   */
  readonly replicas?: number;
  /**
   * Expert parallelism for MoE models: vLLM `--enable-expert-parallel` (TP+EP or DP+EP). Undefined: as the
   * release's family flags say for TP (the DeepSeek recipes' TP+EP on NVIDIA), always with DP attention.
   */
  readonly expertParallel?: boolean;
  /** Longest request (prompt + output) in tokens: vLLM --max-model-len, SGLang --context-length, llama.cpp -c per slot × slots. */
  readonly contextTokens: number;
  /**
   * Requests the plan guarantees at full context (per engine instance): the floor of the batch cap, not
   * the cap (vLLM --max-num-seqs, SGLang --max-running-requests; llama.cpp -np slots).
   */
  readonly concurrency: number;
  /**
   * Requests one engine instance's KV pool holds at `contextTokens` (the plan's maxConcurrency ÷
   * replicas). The batch cap is never below it. Absent: not sized (the cap then starts from `concurrency`).
   */
  readonly kvMaxConcurrency?: number;
  /**
   * vLLM: the --max-num-seqs the memory model sized the profile run's sampler for (the planner's choice:
   * vLLM's default, or the KV capacity when that is larger, or the capacity when the default's sampler
   * leaves no room). Rendered as max(this, kvMaxConcurrency, concurrency). Absent: vLLM's default rule.
   */
  readonly maxNumSeqs?: number;
  /** CPU architecture of the hosts, which selects the image variant. @default 'x86_64' */
  readonly cpuArchitecture?: CpuArchitecture;
  /**
   * Speculative decoding with the model's own draft (MTP for V3/R1/V3.1/V3.2 and the V4 preview, DSpark
   * for V4-Flash-0731, V4-Pro-0813 and V4.1). Off by default: the memory model does not count the
   * draft's weights and KV. @default false
   */
  readonly speculativeDecoding?: boolean;
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
  /** Image reference: `repository:tag@sha256:digest` when a digest is known (Docker pulls the digest), else `repository:tag`. */
  readonly image: string;
  /** Engine release inside the image (e.g. `0.31.0`, `0.5.21`, `b9917`). */
  readonly engineVersion: string;
  /** The engine profile the launch was rendered from (lib/serving/profiles), e.g. `vllm-0.31.0`, `vllm-0.27.0-aws-dlc`. */
  readonly profile: string;
  /** The image carries libfabric's EFA provider and aws-ofi-nccl (NCCL can use EFA's RDMA between nodes). */
  readonly efaLibraries: boolean;
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
  /**
   * How nodes rendezvous: Ray cluster (vLLM TP × PP), torch distributed init address (SGLang), or vLLM's
   * data-parallel coordinator (`--data-parallel-address/--data-parallel-rpc-port`; workers run `--headless`).
   */
  readonly mechanism: 'ray' | 'torch-dist' | 'vllm-data-parallel';
  /** Port on the head node the workers connect to. */
  readonly rendezvousPort: number;
  /** argv for the head node before/with the engine (for Ray: the engine command is run after `ray start --head`). */
  readonly headCommand: readonly string[];
  /** argv for a worker node; contains `${HEAD_ADDR}` and, for SGLang, `${NODE_RANK}`. */
  readonly workerCommand: readonly string[];
  /** Ports that must be open between nodes (besides all-traffic for NCCL/EFA). */
  readonly clusterPorts: readonly number[];
  /** Env var each node's container must set to the node's own IP before the command runs (vLLM over Ray: VLLM_HOST_IP). */
  readonly hostIpEnv?: string;
}
