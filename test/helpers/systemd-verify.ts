/**
 * `systemd-analyze verify` for generated units, without Docker on the machine.
 *
 * A unit that runs `/usr/bin/docker` and `Requires=docker.service` fails verification on a host without
 * Docker ("Unit docker.service not found", "Command /usr/bin/docker is not executable"): systemd checks
 * that the dependencies load and that ExecStart/ExecStop name an executable file. Verification runs
 * with `--root` on a throwaway tree instead: the host's own unit files (the targets a service's default
 * dependencies pull in), a stand-in `docker.service`, and stand-in executables for the two commands the
 * units run (`/usr/bin/docker`, from Docker's packages; `/usr/bin/test`, from coreutils). Every other
 * check (section and key names, value syntax, quoting of Exec lines, specifiers) is systemd's own. A unit
 * that named any other command would still fail, as it should.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where systemd's package installs its units (Debian/Ubuntu: /lib is a link to /usr/lib). */
const HOST_UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system'];

/** Commands the generated units run, stood in for by an empty executable in the verify root. */
const STAND_IN_COMMANDS = ['/usr/bin/docker', '/usr/bin/test'];

/** A unit file as the renderer returns it. */
export interface UnitFile {
  readonly fileName: string;
  readonly content: string;
}

/** What `systemd-analyze verify` said about one unit. */
export interface VerifyResult {
  readonly fileName: string;
  readonly status: number | null;
  /** stderr lines that name this unit's file (a container without systemd as PID 1 adds noise about itself). */
  readonly problems: string[];
}

function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'systemd-root-'));
  const hostUnits = HOST_UNIT_DIRS.find((d) => existsSync(d));
  if (hostUnits === undefined) throw new Error(`systemd-analyze is installed but none of ${HOST_UNIT_DIRS.join(', ')} exists`);
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync(hostUnits, join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  for (const cmd of STAND_IN_COMMANDS) {
    writeFileSync(join(root, cmd), '#!/bin/sh\nexit 0\n');
    chmodSync(join(root, cmd), 0o755);
  }
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(join(root, 'etc/systemd/system/docker.service'), '[Unit]\nDescription=stand-in for Docker in the verify root\n\n[Service]\nExecStart=/usr/bin/docker\n');
  return root;
}

/**
 * A verify root for one test file: made on first use (copying the host's unit files once, not once per call)
 * and removed after the file's tests. Call at `describe` level or at the top of the file.
 */
export function systemdVerifier(): { verify(units: readonly UnitFile[]): VerifyResult[] } {
  let root: string | undefined;
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  return {
    /**
     * Verify a set of units that belong together (one shape's engine, front and worker units) with one
     * `systemd-analyze verify --root=<root>` run over all of them; each unit's problems are the stderr lines
     * naming its file, and the run's exit status is every unit's. The units are removed from the root
     * afterwards, so the next set may reuse their names.
     */
    verify(units) {
      root ??= makeRoot();
      const files = units.map((u) => join(root!, 'etc/systemd/system', u.fileName));
      try {
        units.forEach((u, i) => writeFileSync(files[i], u.content));
        const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...files], { encoding: 'utf8' });
        if (r.error) throw r.error;
        return units.map((u) => ({ fileName: u.fileName, status: r.status, problems: r.stderr.split('\n').filter((l) => l.includes(u.fileName)) }));
      } finally {
        for (const f of files) rmSync(f, { force: true });
      }
    },
  };
}
