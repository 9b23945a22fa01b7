import { main } from '../../bin/cli';

/** Exit code thrown out of the CLI so an in-process run can observe `process.exit`. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Run the CLI in this process (fast: no ts-node start-up per case), capturing stdout, stderr and the
 * exit code. One end-to-end spawn test in cli.test.ts covers the real process boundary.
 */
export function runCli(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const exit = jest.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
    throw new Exit(Number(code ?? 0));
  });
  let code = 0;
  process.exitCode = undefined;
  try {
    main(args);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    else throw e;
  } finally {
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
    exit.mockRestore();
  }
  return { code, stdout, stderr };
}
