#!/usr/bin/env node
/**
 * `deepseek-iac`: plans, tables and charts for choosing hardware for DeepSeek models.
 * Thin layer over the core (lib/): parses flags into a spec, prints the plan for people or as JSON.
 */
import { Command, CommanderError, Option } from 'commander';
import { ENGINES, GPU_IDS, KV_CACHE_DTYPES, PlanError, PRECISIONS, TARGETS, planDeployment, type Plan, type Target } from '../lib';
import { articleJson, articleTable, gpusJson, gpusTable, instancesJson, instancesTable, modelsJson, modelsTable } from './cli/catalog-views';
import { EXIT_BAD_INPUT, runOrExit } from './cli/errors';
import { specFromFlags, type PlanFlags } from './cli/options';
import { readHfConfigFile } from './cli/files';
import { renderPlan } from './cli/plan-view';
import { registerLocalCommand } from './cli/local-command';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Read --hf-config (a regular file, bounded size); a missing or bad file is bad input like any field. */
function readHfConfig(path: string | undefined): Record<string, unknown> | undefined {
  return path === undefined ? undefined : readHfConfigFile(path);
}

/** Flags → plan (throws PlanError on bad input). Shared by `plan` and `local`. */
export function planFromFlags(flags: PlanFlags): Plan {
  return planDeployment(specFromFlags(flags, readHfConfig(flags.hfConfig)));
}

/** The planning flags, added to a command. */
export function addPlanOptions(cmd: Command): Command {
  return cmd
    .option('--model <id>', 'catalog id (deepseek-r1) or Hugging Face id (deepseek-ai/DeepSeek-R1); see `models`')
    .option('--hf-config <path>', 'a Hugging Face config.json for a model outside the catalog')
    .option('--hf-model-id <id>', 'with --hf-config: the Hugging Face repository it belongs to (names and serves the model)')
    .addOption(new Option('--precision <p>', 'weight precision').choices([...PRECISIONS]).argParser((v) => v))
    .option('--kv-cache-dtype <dtype>', `KV cache dtype: ${KV_CACHE_DTYPES.join(', ')} (default auto)`)
    .option('--context <tokens>', 'tokens per request, prompt + output (default 32768, capped at the model maximum)')
    .option('--concurrency <n>', 'requests held at full context at once (default 1)')
    .option('--target <target>', `where it runs: ${TARGETS.join(', ')} (default aws)`)
    .option('--gpu <id>', `restrict to GPUs (repeatable or comma-separated): ${GPU_IDS.join(', ')}`, collect)
    .option('--local-gpus <hosts>', 'local inventory: GPU:COUNT per host, comma-separated (mi300x:8 or h100:8,h100:8); a GPU outside the catalog: custom:COUNT:mem=GiB[:bw=GB/s][:fp8][:fp4][:vendor=nvidia|amd][:link=pcie|nvlink|xgmi]')
    .option('--max-nodes <n>', 'most nodes a plan may use (default 4)')
    .option('--engine <engine>', `serving engine: ${ENGINES.join(', ')} (default vllm)`)
    .option('--gpu-memory-utilization <fraction>', 'fraction of GPU memory the engine may use (default 0.90; SGLang mem-fraction-static)')
    .option('--instance-type <type>', 'pin one catalog instance type')
    .option('--nodes <n>', 'pin the node count')
    .option('--tensor-parallel-size <n>', 'pin tensor parallelism')
    .option('--pipeline-parallel-size <n>', 'pin pipeline parallelism')
    .option('--data-parallel-size <n>', 'pin data-parallel attention ranks with expert parallelism (MoE; 1 = TP × PP only)')
    .option('--expert-parallel', 'pin expert parallelism on (MoE)')
    .option('--no-expert-parallel', 'pin expert parallelism off (TP × PP without EP)')
    .option('--capacity-blocks', 'also plan types sold only as EC2 Capacity Blocks (p6e-gb200/gb300 UltraServers)')
    .option('--price <type=usd>', 'override an hourly price (repeatable): p5.48xlarge=40', (v: string, prev: string[] = []) => [...prev, v])
    .option('--port <port>', 'serving port')
    .option('--ram-gib <GiB>', 'target cpu: host RAM (default 384)')
    .option('--memory-bandwidth-gbps <GB/s>', 'target cpu: memory bandwidth of all sockets (default 921.6)')
    .option('--cores <n>', 'target cpu: physical cores (default 64)')
    .option('--sockets <n>', 'target cpu: CPU sockets (default 2)')
    .option('--gguf-file <file>', 'target cpu: GGUF file to serve')
    .option('--json', 'print machine-readable JSON');
}

export function buildProgram(): Command {
  const program = new Command('deepseek-iac')
    .description('Size DeepSeek deployments from the model architecture and pick the cheapest hardware.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const plan = addPlanOptions(program.command('plan').description('plan one deployment: memory, topology, cost, serving command'));
  // --precision validation is left to the core so every bad field is reported together.
  plan.options.find((o) => o.long === '--precision')!.argChoices = undefined;
  plan.action((flags: PlanFlags & { json?: boolean }) =>
    runOrExit(() => {
      const p = planFromFlags(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(p, null, 2)}\n` : `${renderPlan(p)}\n`);
    }),
  );

  program.command('models').description('list catalog models').option('--json', 'JSON output')
    .action((o: { json?: boolean }) => void process.stdout.write(o.json ? `${JSON.stringify(modelsJson(), null, 2)}\n` : `${modelsTable()}\n`));
  program.command('gpus').description('list GPUs').option('--json', 'JSON output')
    .action((o: { json?: boolean }) => void process.stdout.write(o.json ? `${JSON.stringify(gpusJson(), null, 2)}\n` : `${gpusTable()}\n`));
  program.command('instances').description('list instance types with GPUs, EFA and prices').option('--target <target>', 'aws or azure').option('--json', 'JSON output')
    .action((o: { json?: boolean; target?: string }) =>
      runOrExit(() => {
        if (o.target && !(['aws', 'azure'] as string[]).includes(o.target)) throw PlanError.single('target', `"${o.target}" has no instance catalog; use aws or azure`);
        const t = o.target as Target | undefined;
        process.stdout.write(o.json ? `${JSON.stringify(instancesJson(t), null, 2)}\n` : `${instancesTable(t)}\n`);
      }),
    );
  program.command('table').description("the background article's hardware table, recomputed, with its errors flagged").option('--json', 'JSON output')
    .action((o: { json?: boolean }) => void process.stdout.write(o.json ? `${JSON.stringify(articleJson(), null, 2)}\n` : `${articleTable()}\n`));
  registerLocalCommand(program, planFromFlags);
  return program;
}

export function main(argv: readonly string[]): void {
  const program = buildProgram();
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exit(e.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    throw e;
  }
}

if (require.main === module) main(process.argv.slice(2));
