/**
 * Runs the rendered node boot script unprivileged: a temporary root, every host command on PATH
 * replaced by the stub of test/fixtures/stubs (which logs each call), short poll timings.
 * Shared by the boot-script tests.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const STUB = resolve(__dirname, '../fixtures/stubs/stub');
const STUBBED = [
  'aws', 'docker', 'curl', 'nvidia-smi', 'lsblk', 'blkid', 'mkfs.ext4', 'mount', 'mountpoint', 'mdadm', 'systemctl',
  'dpkg', 'amazon-cloudwatch-agent-ctl', 'umount', 'mount.lustre', 'apt-get', 'iptables',
];

/** One stubbed node. */
export interface Node {
  readonly dir: string;
  readonly root: string;
  /** Run the script (or an installed subcommand); returns exit status, stderr and the stub call log. */
  run(args?: string[], env?: Record<string, string>): { status: number; stderr: string; calls: string[] };
  read(rel: string): string;
  exists(rel: string): boolean;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temporary node: stub bin directory, a root with /etc/fstab, the rendered script. */
export function node(script: string, baseEnv: Record<string, string> = {}): Node {
  const dir = mkdtempSync(join(tmpdir(), 'deepseek-ud-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const root = join(dir, 'root');
  mkdirSync(bin);
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/fstab'), '');
  for (const name of STUBBED) symlinkSync(STUB, join(bin, name));
  const file = join(dir, 'user-data.sh');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  let runs = 0;
  return {
    dir,
    root,
    run(args = [], env = {}) {
      const log = join(dir, `calls-${runs++}.log`);
      writeFileSync(log, '');
      const target = args.length > 0 ? join(root, 'opt/deepseek-iac/bin/node.sh') : file;
      const r = spawnSync('bash', [target, ...args], {
        encoding: 'utf8',
        env: {
          PATH: `${bin}:/usr/bin:/bin`,
          STUB_LOG: log,
          STUB_STATE: join(dir, 'state'),
          DEEPSEEK_IAC_ROOT: root,
          DEEPSEEK_IAC_POLL_SECONDS: '0',
          DEEPSEEK_IAC_WAIT_TRIES: '3',
          DEEPSEEK_IAC_HEAD_WAIT_TRIES: '3',
          DEEPSEEK_IAC_CW_CTL: join(bin, 'amazon-cloudwatch-agent-ctl'),
          ...baseEnv,
          ...env,
        },
      });
      return { status: r.status ?? -1, stderr: r.stderr, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
    },
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    exists: (rel) => existsSync(join(root, rel)),
  };
}

/** Index of the first call starting with `prefix`; fails the test when absent. */
export function at(calls: string[], prefix: string): number {
  const i = calls.findIndex((c) => c.startsWith(prefix));
  if (i < 0) throw new Error(`no call starting with "${prefix}" in:\n${calls.join('\n')}`);
  return i;
}
