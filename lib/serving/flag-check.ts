/**
 * Which flags a rendered launch emits, and whether each is in its profile's per-version flag list.
 * renderLaunch refuses to return a launch with a flag its pinned release was not shown to accept, and
 * test/serving/flags.test.ts runs the whole matrix through `unknownFlags`.
 *
 * A command is argv, or `sh -c '<script>'` whose `&&`-separated steps each run one program. Flags of
 * `ray start` steps are checked against the profile's launcher flags, the rest against the engine's.
 * `--flag=value` counts as `--flag`; flags inside `${VAR:+--flag …}` expansions count too.
 */
import type { ServingLaunch } from './types';
import type { EngineProfile } from './profiles/types';

/** One flag found in a rendered command. */
export interface EmittedFlag {
  /** `engine` (vLLM, SGLang, llama-server) or `launcher` (`ray start`). */
  readonly program: 'engine' | 'launcher';
  readonly flag: string;
  /** The command it came from (`command`, `workerCommand`). */
  readonly where: string;
}

/** Program words that precede the flags of a step (the `-m` of `python3 -m` is Python's, not SGLang's). */
const PROGRAM_PREFIX = /^\s*(?:exec\s+)?(?:python3\s+-m\s+sglang\.launch_server|vllm\s+serve|ray\s+start|\/app\/llama-server)(?=\s|$)/;
const FLAG = /(?:^|[\s+'"])(--?[A-Za-z][A-Za-z0-9_.-]*)/g;

function flagsOfStep(step: string, where: string): EmittedFlag[] {
  const program = /^\s*(?:exec\s+)?ray\s+start\b/.test(step) ? 'launcher' : 'engine';
  const body = step.replace(PROGRAM_PREFIX, ' ');
  return [...body.matchAll(FLAG)].map((m) => ({ program, flag: m[1]!, where }));
}

/** Every flag in one argv (a plain argv, or `sh -c <script>`). */
export function flagsOfArgv(argv: readonly string[], where: string): EmittedFlag[] {
  if (argv[0] === 'sh' && argv[1] === '-c' && argv.length === 3) {
    return argv[2]!.split('&&').flatMap((step) => flagsOfStep(step, where));
  }
  // Plain argv: join the words (none of them contain whitespace-separated flags) and read it as one step.
  return flagsOfStep(argv.join(' '), where);
}

/** Every flag the launch's commands emit (single node / head, and workers). */
export function emittedFlags(launch: ServingLaunch): EmittedFlag[] {
  const out = [...flagsOfArgv([...(launch.entrypoint ?? []), ...launch.command], 'command')];
  if (launch.multiNode) {
    out.push(...flagsOfArgv([...(launch.entrypoint ?? []), ...launch.multiNode.headCommand], 'headCommand'));
    out.push(...flagsOfArgv([...(launch.entrypoint ?? []), ...launch.multiNode.workerCommand], 'workerCommand'));
  }
  return out;
}

/** The emitted flags the profile's lists do not contain (empty when every flag is accounted for). */
export function unknownFlags(launch: ServingLaunch, profile: EngineProfile): EmittedFlag[] {
  return emittedFlags(launch).filter((f) => !(f.program === 'engine' ? profile.flags : profile.launcherFlags)[f.flag]);
}
