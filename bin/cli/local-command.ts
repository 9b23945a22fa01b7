/**
 * `deepseek-iac local`: plan for your own hardware (GPU hosts or a CPU-only host) and write
 * compose.yaml + systemd units (or Kubernetes manifests with --k8s), preflight.sh and a README into
 * --out, refusing to overwrite files it did not write.
 *
 * GPU hosts are planned by the caller's `planFromFlags` (the same spec flags as `plan`, with target
 * forced to `local`); `--target cpu` plans llama.cpp with `planCpuDeployment`.
 * Exit codes: 0 written, 2 invalid input, nothing fits or the folder cannot be written (every problem
 * listed, one `error: --flag: message` line each), 1 the folder holds files deepseek-iac may not
 * replace. A relative --out is resolved against the folder the user ran the command in.
 */
import { Command, Option } from 'commander';
import { isPlanError, PlanError, type Issue, type Plan } from '../../lib';
import { localOptionIssues } from '../../lib/deploy/options-check';
import { planCpuDeployment } from '../../lib/plan/cpu';
import { OutputConflictError, OutputWriteError, writeLocalDeployment } from '../../constructs/local';
import { userPath } from './files';
import { FLAG_FOR_FIELD, type PlanFlags } from './options';
import { strictNumber } from './numbers';

/** Raw options of `local`: the plan flags plus output, CPU-host and rendering flags. */
export interface LocalFlags extends PlanFlags {
  /** Output folder. */
  out: string;
  /** Write Kubernetes manifests instead of compose.yaml and systemd units. */
  k8s?: boolean;
  /** Base name of containers, units and Kubernetes objects. */
  name?: string;
  /** Host folder holding `<model id>/`. */
  modelsDir?: string;
  /** StorageClass of the Kubernetes weights claim. */
  storageClass?: string;
  /** Host address compose/systemd publish the API port on. */
  listen?: string;
  /** CPU host RAM, GiB (--target cpu). */
  ramGib?: string;
  /** CPU host peak memory bandwidth, GB/s (--target cpu). */
  memoryBandwidthGbps?: string;
  /** CPU host physical cores (--target cpu). */
  cores?: string;
  /** CPU host sockets (--target cpu). */
  sockets?: string;
  /** GGUF file name or container path (--target cpu). */
  ggufFile?: string;
}

/** Where the command prints. */
export interface LocalIo {
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/** CPU-spec field → the flag a user typed. */
const CPU_FLAG_FOR_FIELD: Readonly<Record<string, string>> = {
  model: '--model',
  precision: '--precision',
  contextTokens: '--context',
  concurrency: '--concurrency',
  'host.ramGiB': '--ram-gib',
  'host.memoryBandwidthGBps': '--memory-bandwidth-gbps',
  'host.cores': '--cores',
  'host.sockets': '--sockets',
  ggufFile: '--gguf-file',
  port: '--port',
};

/** Renderer option → the flag a user typed (both planners). */
const LOCAL_FLAG_FOR_FIELD: Readonly<Record<string, string>> = {
  out: '--out',
  name: '--name',
  modelsDir: '--models-dir',
  storageClassName: '--storage-class',
  publishAddress: '--listen',
  hfConfig: '--hf-config',
};

/** Flags that mean nothing for one of the two planners. */
const GPU_ONLY: readonly (keyof LocalFlags)[] = ['hfConfig', 'kvCacheDtype', 'localGpus', 'gpu', 'maxNodes', 'engine', 'gpuMemoryUtilization', 'instanceType', 'nodes', 'tensorParallelSize', 'pipelineParallelSize', 'price'];
const CPU_ONLY: readonly (keyof LocalFlags)[] = ['ramGib', 'memoryBandwidthGbps', 'cores', 'sockets', 'ggufFile'];

const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A number if the text is plain decimal notation, else the text, so the planner's schema names the bad value. */
const num = strictNumber;

/** The CPU planner's spec from the flags (unvalidated: the planner reports each bad field). */
export function cpuSpecFromFlags(f: LocalFlags): Record<string, unknown> {
  const host = { ramGiB: num(f.ramGib), memoryBandwidthGBps: num(f.memoryBandwidthGbps), cores: num(f.cores), sockets: num(f.sockets) };
  const spec: Record<string, unknown> = {
    model: f.model,
    precision: f.precision,
    contextTokens: num(f.context),
    concurrency: num(f.concurrency),
    host: Object.fromEntries(Object.entries(host).filter(([, v]) => v !== undefined)),
    ggufFile: f.ggufFile,
    port: num(f.port),
  };
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec;
}

/** Flags given that the chosen planner ignores, as issues. */
function misplacedFlags(f: LocalFlags, cpu: boolean): Issue[] {
  const wrong = cpu ? GPU_ONLY : CPU_ONLY;
  return wrong
    .filter((k) => f[k] !== undefined && !(Array.isArray(f[k]) && (f[k] as unknown[]).length === 0))
    .map((k) => ({ path: kebab(k), message: cpu ? 'applies to GPU hosts, not to --target cpu' : 'applies to --target cpu only' }));
}

function planFor(f: LocalFlags, planFromFlags: (flags: PlanFlags) => Plan): Plan {
  const cpu = f.target === 'cpu';
  const misplaced = misplacedFlags(f, cpu);
  if (misplaced.length > 0) throw new PlanError(misplaced);
  if (cpu) return planCpuDeployment(cpuSpecFromFlags(f));
  if (f.target !== undefined && f.target !== 'local') {
    throw PlanError.single('--target', `"${f.target}" is not a local target; allowed: local, cpu`);
  }
  return planFromFlags({ ...f, target: 'local' });
}

/** Run `local` with parsed flags; returns the exit code. */
export function runLocal(f: LocalFlags, planFromFlags: (flags: PlanFlags) => Plan, io: LocalIo): number {
  const flagOf: Readonly<Record<string, string>> = { ...(f.target === 'cpu' ? CPU_FLAG_FOR_FIELD : FLAG_FOR_FIELD), ...LOCAL_FLAG_FOR_FIELD };
  try {
    if (f.out === '') throw PlanError.single('out', 'must name a folder (use . for the current one)');
    const out = userPath(f.out);
    const options = { kubernetes: f.k8s, name: f.name, modelsDir: f.modelsDir, storageClassName: f.storageClass, publishAddress: f.listen };
    // Options are checked before planning so every problem is listed together with the planner's.
    const optionIssues = localOptionIssues(options);
    let plan: Plan;
    try {
      plan = planFor(f, planFromFlags);
    } catch (e) {
      if (isPlanError(e) && optionIssues.length > 0) throw new PlanError([...optionIssues, ...e.issues]);
      throw e;
    }
    if (optionIssues.length > 0) throw new PlanError(optionIssues);
    const result = writeLocalDeployment(out, plan, options);
    const t = plan.topology;
    const where = t.gpu === 'cpu' ? `CPU host (${t.instanceType})` : `${t.nodes > 1 ? `${t.nodes} nodes × ` : ''}${t.gpusPerNode} × ${t.gpu}`;
    io.log(`${plan.model.displayName} on ${where}, ${plan.engine} ${plan.serving.image}; weights volume ${plan.storage.volumeGiB} GiB`);
    const parts = [
      result.created.length > 0 ? `created ${result.created.join(', ')}` : '',
      result.replaced.length > 0 ? `replaced ${result.replaced.join(', ')}` : '',
      result.unchanged.length > 0 ? `unchanged ${result.unchanged.join(', ')}` : '',
    ].filter((p) => p !== '');
    io.log(`${out}: ${parts.join('; ')}`);
    if (!f.k8s && f.listen !== undefined && f.listen !== '127.0.0.1') {
      io.error(`warning: --listen ${f.listen}: the engine's port is reachable from the network in plain HTTP, and /metrics (and vLLM's /invocations, /tokenize, /pooling, /score) answer without the API key; put an authenticating TLS proxy in front (README "Security")`);
    }
    io.log(`next: ${out}/README.md (run preflight.sh on the host first)`);
    return 0;
  } catch (e) {
    if (isPlanError(e)) {
      for (const i of e.issues) {
        const head = i.path.split(/[.[]/)[0];
        const flag = flagOf[i.path] ?? (flagOf[head] ? `${flagOf[head]} (${i.path})` : i.path);
        io.error(`error: ${flag ? `${flag}: ` : ''}${i.message}`);
      }
      return 2;
    }
    if (e instanceof OutputWriteError) {
      io.error(`error: --out: ${e.message}`);
      return 2;
    }
    if (e instanceof OutputConflictError) {
      io.error(e.message);
      io.error('choose an empty --out folder, or move those files away');
      return 1;
    }
    throw e;
  }
}

/**
 * Add `local` to a commander program. `planFromFlags` turns the shared plan flags into a GPU plan
 * (the `plan` command's own flags → spec → planDeployment path).
 */
export function registerLocalCommand(program: Command, planFromFlags: (flags: PlanFlags) => Plan): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return program
    .command('local')
    .description('plan for your own hosts and write compose.yaml + systemd units (or Kubernetes manifests), preflight.sh and a README')
    .requiredOption('--out <dir>', 'output folder (files it did not write are never overwritten)')
    .option('--model <id>', 'catalog id or Hugging Face id, e.g. deepseek-r1')
    .option('--hf-config <file>', 'a Hugging Face config.json for a model outside the catalog (GPU hosts)')
    .addOption(new Option('--target <target>', 'GPU hosts (local) or a CPU-only host (cpu)').choices(['local', 'cpu']).default('local'))
    .option('--local-gpus <hosts>', 'GPU inventory, one GPU:COUNT per host: mi300x:8 or h100:8,h100:8')
    .option('--precision <p>', 'weight precision (bf16, fp16, fp8, int8, int4; cpu: int4 → Q4_K_M, int8 → Q8_0)')
    .option('--kv-cache-dtype <d>', 'KV-cache dtype (auto, bf16, fp16, fp8)')
    .option('--context <tokens>', 'tokens per request')
    .option('--concurrency <n>', 'requests held at once')
    .option('--engine <engine>', 'vllm or sglang (GPU hosts)')
    .option('--gpu-memory-utilization <f>', 'fraction of GPU memory the engine may use')
    .option('--max-nodes <n>', 'most hosts a plan may use')
    .option('--nodes <n>', 'pin the host count')
    .option('--tensor-parallel-size <n>', 'pin tensor parallelism')
    .option('--pipeline-parallel-size <n>', 'pin pipeline parallelism')
    .option('--gpu <id>', 'restrict to a GPU model (repeatable)', collect)
    .option('--port <port>', 'serving port')
    .option('--ram-gib <GiB>', 'cpu: host RAM (default 384)')
    .option('--memory-bandwidth-gbps <GB/s>', 'cpu: peak DRAM bandwidth of all sockets (default 921.6 = 2 × 12 × DDR5-4800)')
    .option('--cores <n>', 'cpu: physical cores (default 64)')
    .option('--sockets <n>', 'cpu: sockets (default 2)')
    .option('--gguf-file <file>', 'cpu: GGUF file name in /models/<model id>/ or an absolute container path')
    .option('--k8s', 'write Kubernetes manifests (Deployment, or LeaderWorkerSet for several hosts) instead of compose/systemd')
    .option('--name <name>', 'base name of containers, units and Kubernetes objects')
    .option('--models-dir <dir>', 'host folder that holds <model id>/ (default /srv/models)')
    .option('--storage-class <class>', 'StorageClass of the Kubernetes weights claim')
    .option('--listen <address>', 'host address compose/systemd publish the API port on (default 127.0.0.1: this host only)')
    .action((flags: LocalFlags) => {
      process.exitCode = runLocal(flags, planFromFlags, { log: (l) => process.stdout.write(`${l}\n`), error: (l) => process.stderr.write(`${l}\n`) });
    });
}
