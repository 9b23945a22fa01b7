/**
 * The engine's batch cap: how many requests it runs at once (vLLM `--max-num-seqs`, SGLang
 * `--max-running-requests`, llama.cpp `-np`).
 *
 * The rule: never below what the KV pool holds at the workload's context (the plan's maxConcurrency
 * per engine instance); `--concurrency` is the floor the plan guarantees, not a cap.
 *
 * - vLLM: max(vLLM's own default, the KV capacity, the concurrency). vLLM's default is 1024 sequences on
 *   GPUs with ≥ 70 GiB that are not A100s and 256 elsewhere (`EngineArgs.get_batch_defaults`,
 *   vllm-project/vllm@99d7eb5d:vllm/engine/arg_utils.py). Above what the KV pool holds at full context,
 *   vLLM admits a waiting request only when its KV blocks are free (it queues otherwise) and, when
 *   running requests outgrow the pool during decode, preempts the newest and recomputes it later
 *   (https://docs.vllm.ai/en/stable/configuration/optimization/#preemption). Real requests are mostly
 *   shorter than the context the plan sizes for, so a cap at the full-context capacity would leave KV
 *   blocks idle while requests wait; the default lets them run together, and the capacity still rules
 *   where it is the larger number (all requests at full context then fit without preemption).
 * - SGLang: no flag. Unset, SGLang sizes its request slots from its own KV pool at start-up (at least
 *   2048: `max(total_tokens / context_len × 512, 2048)`, capped at 4096, in model_runner's
 *   init_memory_pool, as walked through in public notes) and retracts requests when the pool runs out,
 *   so its own cap is already above the KV capacity at full context.
 * - llama.cpp: `-np` slots are preallocated KV (`-c` = context × slots), so the slots are the requests
 *   the CPU plan sized RAM for; the renderer keeps the requested concurrency.
 */
import { GPU_VISIBLE_MEMORY } from '../catalog/gpu-visible-memory';
import type { AnyGpuId, Decision, Engine } from '../types';

const GIB = 2 ** 30;
const ARG_UTILS = 'vllm-project/vllm@99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b:vllm/engine/arg_utils.py get_batch_defaults';
const PREEMPTION = 'https://docs.vllm.ai/en/stable/configuration/optimization/#preemption';

/** vLLM's default `max_num_seqs` for the OpenAI server on a GPU: 1024 on ≥ 70 GiB GPUs that are not A100s, else 256. */
export function vllmDefaultMaxNumSeqs(gpu: AnyGpuId | 'cpu' | undefined): number {
  // A described (custom) GPU's memory is not known here: take vLLM's smaller default.
  if (gpu === undefined || gpu === 'cpu' || gpu === 'custom') return 256;
  const visible = GPU_VISIBLE_MEMORY[gpu]?.visibleBytes ?? 0;
  return visible >= 70 * GIB && !gpu.startsWith('a100') ? 1024 : 256;
}

/** What the batch cap needs. */
export interface BatchCapInput {
  readonly engine: Engine;
  readonly gpu?: AnyGpuId | 'cpu';
  /** Requests the plan guarantees at full context (per engine instance). */
  readonly concurrency: number;
  /** Requests one engine instance's KV pool holds at the workload's context; absent when not sized (CPU). */
  readonly kvMaxConcurrency?: number;
  /** vLLM: the cap the memory model sized the sampler for (LaunchInput.maxNumSeqs); replaces vLLM's default in the rule. */
  readonly sizedMaxNumSeqs?: number;
  readonly contextTokens: number;
}

/** The rendered cap (undefined: the flag is left out and the engine decides) and the decision explaining it. */
export interface BatchCap {
  readonly value?: number;
  readonly decision: Decision;
}

/** The batch cap for a launch (see the module comment for the rule and its sources). */
export function batchCap(input: BatchCapInput): BatchCap {
  const { engine, concurrency, contextTokens } = input;
  const capacity = input.kvMaxConcurrency;
  if (engine === 'vllm') {
    const vllmDefault = vllmDefaultMaxNumSeqs(input.gpu);
    const sized = input.sizedMaxNumSeqs;
    const engineDefault = sized ?? vllmDefault;
    const value = Math.max(engineDefault, capacity ?? 0, concurrency);
    const parts = [
      sized === undefined || sized >= vllmDefault
        ? `${engineDefault} (${sized === undefined || sized === vllmDefault ? `vLLM's own default on ${input.gpu ?? 'this GPU'}, ${ARG_UTILS}` : 'the sequences the memory model sized the sampler for'})`
        : `${sized} (vLLM's default ${vllmDefault} would profile the sampler for ${vllmDefault} sequences and leave no KV room on this GPU, so the cap is what the pool holds)`,
      ...(capacity !== undefined ? [`${capacity} (requests the KV pool holds at ${contextTokens} tokens)`] : []),
      `${concurrency} (--concurrency, the floor the plan guarantees)`,
    ];
    const why = value === engineDefault
      ? `vLLM queues a request until its KV blocks are free and preempts (recomputes) the newest when decode runs out of blocks (${PREEMPTION}), so shorter requests run together instead of waiting behind a full-context cap`
      : 'every request fits at full context, so the cap is the KV capacity';
    return { value, decision: { field: 'serving.maxNumSeqs', value, reason: `max(${parts.join(', ')}) = ${value}: ${why}` } };
  }
  if (engine === 'sglang') {
    return {
      decision: {
        field: 'serving.maxRunningRequests',
        value: 'engine default',
        reason: `--max-running-requests left unset: SGLang sizes its request slots from its own KV pool (at least 2048, model_runner init_memory_pool) and retracts requests when the pool runs out, which is above the ${capacity ?? concurrency} request(s) its KV pool holds at ${contextTokens} tokens`,
      },
    };
  }
  return {
    value: concurrency,
    decision: { field: 'serving.slots', value: concurrency, reason: `llama.cpp preallocates KV for every slot (-c = ${contextTokens} × ${concurrency}): the slots are the requests the host's RAM was sized for` },
  };
}
