/**
 * What the container runtime must grant each engine (IPC, shared memory, devices, ulimits), per
 * hardware vendor and node count, plus the one shell helper commands need when they must expand an
 * environment variable inside the container.
 *
 * Sources (docs/reference-keys.md, engines §1, §3, §4, §9):
 * - vLLM Docker docs require `--ipc=host` or a large `--shm-size` (https://docs.vllm.ai/en/stable/deployment/docker/).
 * - ROCm: `--device /dev/kfd --device /dev/dri --group-add video --ipc=host --cap-add=SYS_PTRACE
 *   --security-opt seccomp=unconfined` (rocm.docs.amd.com vLLM/SGLang pages), `--shm-size 16G`
 *   (SGLang AMD docs, from memory in the facts file), `render` group for /dev/dri render nodes.
 * - Multi-node RDMA (EFA/InfiniBand): host networking, `--ulimit memlock=-1`, the uverbs devices under
 *   /dev/infiniband (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-installer-containers.html).
 * - SGLang's compose file adds `--ulimit stack=67108864` (third-party copy of the SGLang compose file).
 */
import type { Engine } from '../types';
import type { ContainerRequirements } from './types';
import type { ImageTarget } from './profiles/types';

/** Shared memory for multi-process GPU engines where host IPC is not available (e.g. a k8s /dev/shm volume). */
export const GPU_ENGINE_SHM_GIB = 16;

/** RLIMIT_STACK SGLang's own compose file sets, bytes. */
const SGLANG_STACK_BYTES = '67108864';

/**
 * Container requirements for an engine on a hardware target.
 * `shmSizeGiB: 0` means "runtime default": llama.cpp is one process and uses no shared memory.
 * @param nodes number of nodes; > 1 adds host networking, unlimited memlock and the RDMA devices.
 */
export function containerRequirements(engine: Engine, target: ImageTarget, nodes: number): ContainerRequirements {
  // vLLM and SGLang run one process per GPU and exchange tensors through shared memory / CUDA IPC.
  const multiProcess = engine !== 'llamacpp';
  const multiNode = nodes > 1;
  const rocm = target === 'amd';

  const devices: string[] = [];
  if (rocm) devices.push('/dev/kfd', '/dev/dri');
  // RDMA (EFA or InfiniBand) exposes its verbs devices here; NCCL/RCCL needs them for GPU-direct transfers.
  if (multiNode) devices.push('/dev/infiniband');

  const ulimits: Record<string, string> = {};
  // RDMA memory registration pins pages; a container cannot raise its own memlock limit.
  if (multiNode) ulimits.memlock = '-1';
  if (engine === 'sglang') ulimits.stack = SGLANG_STACK_BYTES;

  return {
    ipcHost: multiProcess,
    shmSizeGiB: multiProcess ? GPU_ENGINE_SHM_GIB : 0,
    hostNetwork: multiNode,
    privileged: false,
    devices,
    groupAdd: rocm ? ['video', 'render'] : [],
    gpuRuntime: target === 'nvidia' ? 'nvidia' : rocm ? 'rocm' : 'none',
    ulimits,
    capAdd: rocm ? ['SYS_PTRACE'] : [],
    securityOpt: rocm ? ['seccomp=unconfined'] : [],
  };
}

/** A word of a shell script: a literal (quoted as needed) or a fragment the shell must expand. */
export type ShellWord = string | { readonly expand: string };

/** Characters that never need quoting in POSIX sh. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one literal for POSIX sh: unchanged when safe, else single-quoted with embedded quotes escaped. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Join words into one `sh -c` script. Literals are quoted so user-supplied values (paths, names)
 * stay single arguments; `{ expand }` fragments are emitted verbatim so `${VAR}` references expand
 * in the container (the API key, `${HEAD_ADDR}`, `${NODE_RANK}`).
 */
export function shellScript(words: readonly ShellWord[]): string {
  return words.map((w) => (typeof w === 'string' ? shellQuote(w) : w.expand)).join(' ');
}

/** Node variable for the head node's address in multi-node argv; the node launcher substitutes it (or exports HEAD_ADDR). */
export const HEAD_ADDR = '${HEAD_ADDR}';
/** Node variable for a worker's node rank (1 … nodes-1) in SGLang worker argv. */
export const NODE_RANK = '${NODE_RANK}';
