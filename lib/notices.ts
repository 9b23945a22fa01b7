/**
 * The notice registry: every warning a plan or a deployment layout can raise, defined once with a
 * stable code, its severity and a one-line meaning (README.md "Notice codes" lists them; a test keeps
 * the two equal). Codes follow cdk-nag's rule ids (`AwsSolutions-IAM5`): `DSIAC-<LAYER><n>`, grouped by
 * the layer that raises them. A code never derives from the message text, so a message can be
 * reworded without breaking an acknowledgement; a code is never renumbered or reused for another
 * meaning.
 *
 * Framework-free vocabulary: every part of lib/ may import it.
 */

/**
 * How much a notice matters. `warning`: a risk to correctness, security, accuracy or cost that the
 * user should decide on; `info`: something the user must do or know that is no risk by itself (a step
 * before the first start, a caveat on an estimate).
 */
export type NoticeSeverity = 'warning' | 'info';

/** The layer that raises a notice, the `<LAYER>` part of its code. */
export type NoticeLayer = 'plan' | 'serving' | 'aws' | 'eks' | 'azure';

/** One registered notice: its code, severity, layer and what it means. */
export interface NoticeDefinition {
  /** Stable id, e.g. `DSIAC-PLAN6`. */
  readonly code: string;
  readonly severity: NoticeSeverity;
  readonly layer: NoticeLayer;
  /** What the notice means, in one line (the message adds the plan's specifics). */
  readonly description: string;
}

/** Every notice, in README order. Add new codes at the end of their layer; never renumber. */
export const NOTICE_DEFINITIONS = [
  // Plan: lib/plan (GPU and CPU planners) and the attention strategies of lib/sizing.
  { code: 'DSIAC-PLAN1', severity: 'warning', layer: 'plan', description: 'contextTokens is above the model\'s published context: quality past that length is not validated' },
  { code: 'DSIAC-PLAN2', severity: 'warning', layer: 'plan', description: 'a described local GPU outside the catalog: the facts it leaves out are assumed conservatively' },
  { code: 'DSIAC-PLAN3', severity: 'warning', layer: 'plan', description: 'a local host\'s RDMA, free disk or RAM was not given and is assumed: run the preflight check on the host' },
  { code: 'DSIAC-PLAN4', severity: 'info', layer: 'plan', description: 'the attention\'s KV cache is copied on every tensor-parallel rank: capacity per replica does not grow with TP' },
  { code: 'DSIAC-PLAN5', severity: 'warning', layer: 'plan', description: 'the precision runs weight-only on this GPU (no tensor cores for it): memory is saved, compute stays 16-bit' },
  { code: 'DSIAC-PLAN6', severity: 'warning', layer: 'plan', description: 'vLLM\'s quantization table does not list INT8/INT4 kernels for this GPU: check the engine build' },
  { code: 'DSIAC-PLAN7', severity: 'warning', layer: 'plan', description: 'less than 10% of the GPU memory budget is left as headroom for an MoE model' },
  { code: 'DSIAC-PLAN8', severity: 'info', layer: 'plan', description: 'the instance type is sold only as EC2 Capacity Blocks: reserve a block and deploy with capacityBlockId' },
  { code: 'DSIAC-PLAN9', severity: 'warning', layer: 'plan', description: 'the instance type has no confirmed on-demand price: cost estimates are omitted' },
  { code: 'DSIAC-PLAN10', severity: 'warning', layer: 'plan', description: 'the R1 distills were trained with a 32,768-token maximum generation length; the context is longer' },
  { code: 'DSIAC-PLAN11', severity: 'warning', layer: 'plan', description: 'an fp8 KV cache halves KV memory at a small accuracy cost' },
  { code: 'DSIAC-PLAN12', severity: 'warning', layer: 'plan', description: 'int8/int4 needs a pre-quantized checkpoint (W8A8 INT8, AWQ or GPTQ)' },
  { code: 'DSIAC-PLAN13', severity: 'warning', layer: 'plan', description: 'less than 2 GiB of GPU memory is left outside SGLang\'s mem-fraction-static for activations and CUDA graphs' },
  { code: 'DSIAC-PLAN14', severity: 'info', layer: 'plan', description: 'CPU decode speed is an estimate (a range); prompt processing on CPU is far slower than decode' },
  { code: 'DSIAC-PLAN15', severity: 'info', layer: 'plan', description: 'a multi-socket CPU host: llama.cpp runs with --numa distribute and gets less than one socket\'s bandwidth per socket' },
  { code: 'DSIAC-PLAN16', severity: 'warning', layer: 'plan', description: 'llama.cpp\'s support for the model\'s attention depends on the GGUF conversion or the llama.cpp build' },
  { code: 'DSIAC-PLAN17', severity: 'info', layer: 'plan', description: 'no ggufFile was given: put the GGUF at the planned path in the host\'s models folder' },
  // Serving: lib/serving (engine profiles and launch rendering).
  { code: 'DSIAC-SRV1', severity: 'warning', layer: 'serving', description: 'no engine image with the EFA libraries is new enough for the model: NCCL between the nodes falls back to TCP' },
  { code: 'DSIAC-SRV2', severity: 'warning', layer: 'serving', description: 'the memory model\'s engine constants were fitted on another engine release than the image runs' },
  { code: 'DSIAC-SRV3', severity: 'warning', layer: 'serving', description: 'the model is released with MXFP4 experts: fp8 serving needs an FP8 re-quantized checkpoint' },
  { code: 'DSIAC-SRV4', severity: 'info', layer: 'serving', description: 'the KV-cache dtype differs from the one the vLLM recipe runs the model with' },
  // AWS (EC2 Auto Scaling): lib/deploy/blueprint.ts and capacity.ts.
  { code: 'DSIAC-AWS1', severity: 'warning', layer: 'aws', description: 'the API is served without TLS: the API key and prompts cross the network in plain text' },
  { code: 'DSIAC-AWS2', severity: 'warning', layer: 'aws', description: 'the Hugging Face model source is not pinned to a revision: every boot may load different files' },
  { code: 'DSIAC-AWS3', severity: 'warning', layer: 'aws', description: 'the default model source does not hold the planned precision: set modelSource to a checkpoint that does' },
  { code: 'DSIAC-AWS4', severity: 'warning', layer: 'aws', description: 'the image lacks libfabric and aws-ofi-nccl: NCCL between the nodes falls back to TCP over ENA' },
  { code: 'DSIAC-AWS5', severity: 'info', layer: 'aws', description: 'fallback instance types were asked for but none runs the same launch: the group uses the planned type only' },
  { code: 'DSIAC-AWS6', severity: 'warning', layer: 'aws', description: 'Spot instances can be reclaimed at two minutes\' notice and every replacement reloads the weights' },
  { code: 'DSIAC-AWS7', severity: 'info', layer: 'aws', description: 'instances launch only while the Capacity Block is active and are terminated when it ends' },
  // EKS: lib/deploy/eks/layout.ts.
  { code: 'DSIAC-EKS1', severity: 'warning', layer: 'eks', description: 'no NetworkPolicy is applied: restrict the API port with the platform\'s policy' },
  { code: 'DSIAC-EKS2', severity: 'warning', layer: 'eks', description: 'the image lacks the EFA libraries: NCCL between the nodes runs over TCP' },
  { code: 'DSIAC-EKS3', severity: 'info', layer: 'eks', description: 'create the Kubernetes Secret holding the API key before the pods can start' },
  { code: 'DSIAC-EKS4', severity: 'warning', layer: 'eks', description: 'the API front serves plain HTTP: terminate TLS in front of it before the key crosses an untrusted network' },
  { code: 'DSIAC-EKS5', severity: 'warning', layer: 'eks', description: 'an engine image is pulled by a tag, not a digest: a later pull may run different code' },
  // Azure: lib/deploy/azure/blueprint.ts.
  { code: 'DSIAC-AZ1', severity: 'warning', layer: 'azure', description: 'the VM size has no catalog price: the stack carries no cost estimate' },
  { code: 'DSIAC-AZ2', severity: 'warning', layer: 'azure', description: 'the API front serves plain HTTP (no certificate in Key Vault named): the key and prompts cross the network in clear' },
] as const satisfies readonly NoticeDefinition[];

/** A registered code: tsc refuses a notice whose code is not in {@link NOTICE_DEFINITIONS}. */
export type NoticeCode = (typeof NOTICE_DEFINITIONS)[number]['code'];

/** A warning raised by the core: its stable code, severity, and the message with the plan's specifics. */
export interface Notice {
  /** Stable id from the registry (README.md "Notice codes"); acknowledge by it. */
  readonly code: NoticeCode;
  readonly severity: NoticeSeverity;
  /** What happened in this plan, in words; may be reworded between releases (the code stays). */
  readonly message: string;
}

/** The registry by code. */
export const NOTICES: Readonly<Record<NoticeCode, NoticeDefinition>> = Object.fromEntries(NOTICE_DEFINITIONS.map((d) => [d.code, d])) as Record<NoticeCode, NoticeDefinition>;

/** A notice of a registered code, with the registry's severity. Throws for a code outside the registry (only reachable past tsc). */
export function notice(code: NoticeCode, message: string): Notice {
  const definition: NoticeDefinition | undefined = NOTICES[code];
  if (definition === undefined) throw new Error(`notice code ${JSON.stringify(code)} is not in lib/notices.ts`);
  return { code, severity: definition.severity, message };
}
