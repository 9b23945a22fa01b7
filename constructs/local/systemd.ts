/**
 * systemd units that run the engine container with `docker run`: the alternative to compose for
 * hosts managed by systemd. One unit on a single host; a `-head` and a `-worker` unit for multi-node
 * plans (install the worker unit on every other node).
 *
 * The API key comes from an EnvironmentFile (`/etc/deepseek-iac/<name>.env`, not written by us) and
 * reaches the container as `-e NAME` without a value, so it never appears in the unit or in argv.
 * A missing file fails the unit (no `-` prefix), and an empty key fails ExecStartPre.
 *
 * Quoting follows systemd.service "Command lines": words with anything but plain characters are
 * double-quoted with `\` and `"` escaped; `$` is written `$$` and `%` is written `%%` so systemd
 * neither expands nor substitutes them — except `${MODELS_DIR}`, `${HEAD_ADDR}` and `${NODE_RANK}`,
 * which systemd fills from the environment file.
 */
import type { Plan } from '../../lib';
import {
  CONTAINER_MODELS_DIR, DEFAULT_MODELS_DIR, DEFAULT_PUBLISH_ADDRESS, HEAD_ADDR_VARIABLE, NODE_RANK_VARIABLE, dockerArgv, groupGidVariable,
  FRONT_FILES, hardwareSummary, resourceName, roleFront, rolesOf, type Role,
} from './launch';
import { API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH } from '../../lib/deploy/api-front';
import { checkLocalOptions } from '../../lib/deploy/options-check';

/** Options of {@link renderSystemdUnits}. */
export interface SystemdOptions {
  /** Base name of units and containers. @default derived from the model id */
  readonly name?: string;
  /** Host folder holding `<model id>/`. @default /srv/models */
  readonly modelsDir?: string;
  /** Host address the API port is published on. @default 127.0.0.1 (this host only) */
  readonly publishAddress?: string;
}

/** One unit file. */
export interface SystemdUnit {
  /** File name, e.g. `deepseek-r1.service`. */
  readonly fileName: string;
  readonly content: string;
}

const DOCKER = '/usr/bin/docker';
const PLAIN_WORD = /^[A-Za-z0-9_@+=:,./-]+$/;

/** Quote one argv word for an Exec line, keeping the multi-node node variables expandable. */
export function systemdWord(word: string): string {
  const escaped = PLAIN_WORD.test(word) ? word : `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return escaped
    .replace(/\$/g, '$$$$')
    .replace(/%/g, '%%')
    .split(`$${HEAD_ADDR_VARIABLE}`).join(HEAD_ADDR_VARIABLE)
    .split(`$${NODE_RANK_VARIABLE}`).join(NODE_RANK_VARIABLE);
}

/**
 * An `Environment=` assignment: quoted as a whole when needed, `%` doubled (Environment= expands
 * specifiers but not `$`, so `$` stays as is).
 */
export function environmentAssignment(name: string, value: string): string {
  const assignment = `${name}=${value}`.replace(/%/g, '%%');
  return PLAIN_WORD.test(`${name}=${value}`) ? assignment : `"${assignment.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Path of the environment file a unit reads. */
export function environmentFilePath(name: string): string {
  return `/etc/deepseek-iac/${name}.env`;
}

/** The `docker run` argv of a role, as systemd words (one option per element). */
export function dockerRunWords(plan: Plan, role: Role, containerName: string, publishAddress: string = DEFAULT_PUBLISH_ADDRESS): string[] {
  const s = plan.serving;
  const c = s.container;
  const words: string[] = ['run', '--rm', `--name=${containerName}`];
  if (c.hostNetwork) words.push('--network=host');
  else if (role !== 'worker') words.push(`--publish=${publishAddress}:${s.port}:${s.port}`);
  if (c.ipcHost) words.push('--ipc=host');
  else if (c.shmSizeGiB > 0) words.push(`--shm-size=${c.shmSizeGiB}g`);
  if (c.privileged) words.push('--privileged');
  for (const d of c.devices) words.push(`--device=${d}`);
  for (const g of c.groupAdd) if (!groupGidVariable(g)) words.push(`--group-add=${g}`);
  for (const cap of c.capAdd) words.push(`--cap-add=${cap}`);
  for (const o of c.securityOpt) words.push(`--security-opt=${o}`);
  for (const [k, v] of Object.entries(c.ulimits)) words.push(`--ulimit=${k}=${v}:${v}`);
  // `--gpus N` requests N GPUs (docker/cli opts/gpus.go: a bare integer is the count).
  if (c.gpuRuntime === 'nvidia') words.push(`--gpus=${plan.topology.gpusPerNode}`);
  const quoted = words.map(systemdWord);
  // Left unescaped on purpose: systemd substitutes these from Environment=/EnvironmentFile=.
  for (const g of c.groupAdd) {
    const v = groupGidVariable(g);
    if (v) quoted.push(`--group-add=\${${v}}`);
  }
  quoted.push(`--volume=\${MODELS_DIR}:${CONTAINER_MODELS_DIR}:ro`);
  for (const [k, v] of Object.entries(s.env)) quoted.push(systemdWord(`--env=${k}=${v}`));
  if (role !== 'worker') quoted.push(systemdWord(`--env=${s.apiKeyEnv}`));

  const argv = dockerArgv(plan, role);
  const entry = argv.entrypoint ?? [];
  // docker run takes one word as --entrypoint; further entrypoint words lead the command.
  if (entry.length > 0) quoted.push(systemdWord(`--entrypoint=${entry[0]}`));
  quoted.push(systemdWord(s.image));
  for (const w of [...entry.slice(1), ...argv.command]) quoted.push(systemdWord(w));
  return quoted;
}

/** Where the systemd front unit reads the API front's files (copied there from the output folder). */
export function frontConfigDir(name: string): string {
  return `/etc/deepseek-iac/${name}-front`;
}

/**
 * The units for a plan: `<name>.service`, or `<name>-head.service` and `<name>-worker.service`, and
 * for the serving one its API front `<unit>-front.service` (lib/deploy/api-front.ts).
 */
export function renderSystemdUnits(plan: Plan, options: SystemdOptions = {}): SystemdUnit[] {
  checkLocalOptions(options);
  const name = resourceName(plan, options.name);
  return rolesOf(plan).flatMap((role) => {
    const unitName = role === 'single' ? name : `${name}-${role}`;
    const engine = { fileName: `${unitName}.service`, content: unit(plan, role, name, unitName, options) };
    return roleFront(plan, role) ? [engine, { fileName: `${unitName}-front.service`, content: frontUnit(plan, name, unitName) }] : [engine];
  });
}

/**
 * nginx in the engine container's network namespace (`--network=container:`, which is the host's
 * on a multi-node head): it answers on the port the engine unit publishes, the engine listens on
 * loopback one port up. Bound to the engine unit; the key comes from the same root-only env file.
 */
function frontUnit(plan: Plan, name: string, unitName: string): string {
  const s = plan.serving;
  const envFile = environmentFilePath(name);
  const dir = frontConfigDir(name);
  const front = `${unitName}-front`;
  const run = [
    'run', '--rm', `--name=${front}`, `--network=container:${unitName}`, `--env=${s.apiKeyEnv}`,
    `--volume=${dir}/${FRONT_FILES.config.split('/').pop()}:${API_FRONT_CONFIG_PATH}:ro`,
    `--volume=${dir}/${FRONT_FILES.keyTemplate.split('/').pop()}:${API_FRONT_KEY_TEMPLATE_PATH}:ro`,
    API_FRONT_IMAGE,
  ].map(systemdWord);
  return [
    `# API front (key check) of ${unitName}, generated by deepseek-iac from the plan.`,
    `# Install: copy ${FRONT_FILES.config} and ${FRONT_FILES.keyTemplate} to ${dir}/, this file to /etc/systemd/system/,`,
    `# then: systemctl daemon-reload && systemctl enable ${front} (it starts and stops with ${unitName}).`,
    '[Unit]',
    `Description=API front of ${unitName}`,
    `BindsTo=${unitName}.service`,
    `After=${unitName}.service`,
    '',
    '[Service]',
    `EnvironmentFile=${envFile}`,
    `ExecStartPre=-${DOCKER} rm --force ${front}`,
    `ExecStartPre=/usr/bin/test -n "\${${s.apiKeyEnv}}"`,
    `ExecStart=${DOCKER} ${run.join(' \\\n    ')}`,
    `ExecStop=${DOCKER} stop ${front}`,
    // The engine container exists only once its unit's docker run has started: retry until it does.
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    `WantedBy=${unitName}.service`,
    '',
  ].join('\n');
}

function unit(plan: Plan, role: Role, name: string, unitName: string, options: SystemdOptions): string {
  const s = plan.serving;
  const envFile = environmentFilePath(name);
  const required = role === 'worker' ? ['HEAD_ADDR', 'NODE_RANK'].filter((v) => s.multiNode!.workerCommand.some((w) => w.includes(`\${${v}}`))) : [s.apiKeyEnv];
  const what = role === 'single' ? '' : role === 'head' ? ' (head node)' : ' (worker node)';
  const run = dockerRunWords(plan, role, unitName, options.publishAddress);
  return [
    `# ${plan.model.displayName} on ${hardwareSummary(plan)} (${plan.engine})${what}, generated by deepseek-iac from the plan.`,
    `# Install: copy to /etc/systemd/system/, put ${required.map((v) => `${v}=…`).join(' and ')} in ${envFile} (mode 600),`,
    `# then: systemctl daemon-reload && systemctl enable --now ${unitName}`,
    '[Unit]',
    `Description=${plan.model.displayName} ${plan.engine} server${what}`,
    'Requires=docker.service',
    'After=docker.service network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `Environment=${environmentAssignment('MODELS_DIR', options.modelsDir ?? DEFAULT_MODELS_DIR)}`,
    ...s.container.groupAdd.flatMap((g) => {
      const v = groupGidVariable(g);
      return v ? [`Environment=${environmentAssignment(v, g)}`] : [];
    }),
    `EnvironmentFile=${envFile}`,
    // Pulling a multi-GB image can take longer than the default start timeout.
    'TimeoutStartSec=0',
    `ExecStartPre=-${DOCKER} rm --force ${unitName}`,
    `ExecStartPre=${DOCKER} pull ${systemdWord(s.image)}`,
    ...required.map((v) => `ExecStartPre=/usr/bin/test -n "\${${v}}"`),
    `ExecStart=${DOCKER} ${run.join(' \\\n    ')}`,
    `ExecStop=${DOCKER} stop --time=60 ${unitName}`,
    'Restart=on-failure',
    'RestartSec=30',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
