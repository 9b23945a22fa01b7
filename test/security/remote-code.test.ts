/**
 * Issue 13 §5, "remote code only for architectures that need it": the engine runs code shipped
 * with a checkpoint (`--trust-remote-code`) only when the checkpoint's config points at such code
 * (`auto_map` in config.json). Architectures both engines implement themselves get no flag, so a
 * changed or poisoned repository cannot run Python on the node through them.
 *
 * Independent facts:
 * - DeepSeek-V3's config.json carries `auto_map` → `modeling_deepseek.DeepseekV3ForCausalLM`
 *   (test/fixtures/hf-configs/deepseek-v3.json, copied from
 *   https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json).
 * - The R1 distills are Qwen2ForCausalLM / LlamaForCausalLM checkpoints without `auto_map`
 *   (https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Qwen-7B/blob/main/config.json,
 *   https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Llama-8B/blob/main/config.json), and so are
 *   the Llama/Qwen fixtures (test/fixtures/hf-configs/llama-3.1-8b.json, qwen2.5-7b-instruct.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from '../../lib/plan/planner';
import type { Plan } from '../../lib/plan/types';

const FLAG = '--trust-remote-code';
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'hf-configs', name), 'utf8')) as Record<string, unknown>;

/**
 * Every word the plan would run: the single-node command and, multi-node, head and worker. SGLang's
 * command is one `sh -c` string, so argv entries are split at white space.
 */
function words(plan: Plan): string[] {
  const multi = plan.serving.multiNode;
  const argv = [...plan.serving.command, ...(multi ? [...multi.headCommand, ...multi.workerCommand] : [])];
  return argv.flatMap((w) => w.split(/\s+/));
}

const ENGINES = ['vllm', 'sglang'] as const;

describe('remote code only where the checkpoint ships it', () => {
  test('premise: the V3 config names custom code, the Llama/Qwen fixtures do not', () => {
    expect(fixture('deepseek-v3.json').auto_map).toBeDefined();
    expect(fixture('llama-3.1-8b.json').auto_map).toBeUndefined();
    expect(fixture('qwen2.5-7b-instruct.json').auto_map).toBeUndefined();
  });

  test.each(ENGINES.flatMap((engine) => [
    ['deepseek-r1-distill-qwen-7b', engine],
    ['deepseek-r1-distill-llama-8b', engine],
    ['deepseek-r1-distill-llama-70b', engine],
  ] as const))('%s on %s: no --trust-remote-code', (model, engine) => {
    const plan = planDeployment({ target: 'aws', model, engine });
    expect(plan.serving.engine).toBe(engine);
    expect(words(plan)).not.toContain(FLAG);
  });

  test.each(ENGINES.flatMap((engine) => [
    ['llama-3.1-8b.json', engine],
    ['qwen2.5-7b-instruct.json', engine],
  ] as const))('a user config without auto_map (%s) on %s: no flag', (name, engine) => {
    const plan = planDeployment({ target: 'aws', hfConfig: fixture(name), engine });
    expect(words(plan)).not.toContain(FLAG);
  });

  test.each(ENGINES)('DeepSeek-V3 (auto_map in its config) on %s: the flag is there, so the check above can fail', (engine) => {
    const plan = planDeployment({ target: 'aws', model: 'deepseek-v3', precision: 'fp8', engine });
    expect(words(plan)).toContain(FLAG);
  });
});
