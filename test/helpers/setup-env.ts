/**
 * Environment for every test file (jest `setupFiles`).
 *
 * aws-cdk-lib runs a built-in CloudFormation validation (a WebAssembly rule engine, `@aws/cloudformation-validate`)
 * on every synth unless `CDK_VALIDATION=false`: measured here, about 1.4 s to start the engine in each test file and
 * 0.3–0.5 s per stack, most of the CDK suites' time. It checks templates against the CloudFormation resource
 * schemas, so it stays on where it pays: test/constructs/cdk/app.test.ts synthesizes the four reference stacks with
 * it on and warnings counted as errors. Everywhere else the templates are asserted property by property.
 */
import { AssertionError } from 'node:assert';

process.env.CDK_VALIDATION = 'false';

/**
 * Pulumi records a stack trace for every promise it creates (`runtime/debuggable.js`, shown only in a leak report)
 * and a full one for every resource (`Resource.callsites`, parsed for source positions). Under jest each trace is
 * formatted by jest's source-map hook (`Error.prepareStackTrace` of the worker's own realm, which Node applies to
 * errors of the test's realm too), which maps every frame: most of a Pulumi suite's time. Traces taken in those two
 * Pulumi files are formatted plainly, as Node would without the hook (a promise's trace to its first 10 frames, and
 * only when Pulumi's leak report reads it: 8.0–9.0 → 6.9 s of CPU for the Pulumi cluster, day-2 and security
 * files); every other error (a failing assertion, a thrown PlanError) still goes through jest's hook.
 *
 * cdktf does the same for every token it creates (`tokens/private/stack-trace.js`: `Error.captureStackTrace` on a
 * plain `{ stack }` object, every frame, kept as the token's creation trace): 4.3 s of 37 s of CPU for
 * test/constructs/cdktf and test/constructs/pulumi run in band. A trace captured on an object that is not an
 * Error is never a test failure, so it is formatted plainly too.
 */
// The worker realm's Error: node:assert's AssertionError extends it.
const WorkerError = Object.getPrototypeOf(AssertionError.prototype).constructor as ErrorConstructor;
const jestPrepare = WorkerError.prepareStackTrace;
if (Error.prepareStackTrace === undefined && typeof jestPrepare === 'function') {
  const PULUMI_PROMISE = /@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
  const PULUMI_RESOURCE = /@pulumi[\\/]pulumi[\\/]resource\.js$/;
  const plain = (error: Error, frames: readonly NodeJS.CallSite[]): string =>
    [`${error.name}${error.message ? `: ${error.message}` : ''}`, ...frames.map((f) => `    at ${String(f)}`)].join('\n');
  Error.prepareStackTrace = (error, frames) => {
    const target: unknown = error;
    if (!(target instanceof Error) && !(target instanceof WorkerError)) return plain({ name: 'Error', message: '' } as Error, frames);
    const origin = frames[0]?.getFileName() ?? '';
    if (PULUMI_PROMISE.test(origin)) {
      // Read only by Pulumi's leak report, through a template literal: formatted then, if ever.
      const top = frames.slice(0, 10);
      let text: string | undefined;
      return { toString: () => (text ??= plain(error, top)) };
    }
    if (PULUMI_RESOURCE.test(origin)) return plain(error, frames);
    return jestPrepare(error, frames);
  };
}
