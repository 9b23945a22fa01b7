/**
 * jest's module runtime with V8's code cache (jest config `runtime`).
 *
 * jest evaluates every module afresh in each test file's own context, and compiles its source each time with
 * `vm.compileFunction`. For aws-cdk-lib, the Pulumi SDKs and cdktf that is most of what a test file costs
 * before its first test: measured on this project, compiling was 14% of the CPU of test/constructs (cdk, cdktf,
 * Pulumi) run in band, about 0.35 s per CDK test file. Here each module is compiled with the code V8 cached
 * the first time it compiled the same source (`cachedData`, kept in jest's cache directory), which skips
 * parsing. V8 checks that the cache belongs to the same source, V8 version and flags, and compiles normally
 * when it does not (`cachedDataRejected`), so a stale or foreign cache costs time, never correctness. What the
 * module does when it runs is unchanged: only how its code is compiled.
 *
 * The hook sits on jest-runtime's module executor (jest 30.5, pinned in package.json); if that internal
 * shape changes, modules are compiled exactly as jest does, without the cache.
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** Smaller sources compile directly: the cache is for the libraries' large files, not for one-line re-exports. */
const MIN_SOURCE_CHARS = 4096;

class CodeCacheRuntime extends Runtime {
  constructor(config, ...rest) {
    super(config, ...rest);
    const executor = this.executor;
    if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) return;
    // Coverage instruments what it compiles: leave those runs to jest as they are.
    if (this._coverageOptions?.collectCoverage === true) return;
    const dir = join(config.cacheDirectory, 'v8-code-cache');
    const jestCompile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || source.length < MIN_SOURCE_CHARS || executor.resolution.isCoreModule(filename)) return jestCompile(source, filename);
      const key = createHash('sha256').update(`${process.version}\0${filename}\0`).update(source).digest('hex');
      const file = join(dir, key.slice(0, 2), key);
      let cachedData;
      try {
        cachedData = readFileSync(file);
      } catch {
        cachedData = undefined;
      }
      let fn;
      try {
        fn = vm.compileFunction(source, executor.injectedModuleParameters, {
          filename,
          cachedData,
          produceCachedData: cachedData === undefined,
          parsingContext: context,
          importModuleDynamically: (specifier, _fn, importAttributes, ...phase) => {
            if (typeof vm.SyntheticModule !== 'function') throw new Error('You need to run with a version of node that supports ES Modules in the VM API. See https://jestjs.io/docs/ecmascript-modules');
            return executor.dynamicImport(specifier, filename, context, importAttributes, phase[0]);
          },
        });
      } catch {
        // jest's own compile reports the syntax error in its own words.
        return jestCompile(source, filename);
      }
      if (fn.cachedDataRejected === true || (cachedData === undefined && fn.cachedDataProduced === true)) {
        const fresh = fn.cachedDataRejected === true ? vm.compileFunction(source, executor.injectedModuleParameters, { filename, produceCachedData: true, parsingContext: context }).cachedData : fn.cachedData;
        if (fresh) store(file, fresh);
      }
      return fn;
    };
  }
}

/** Write atomically: parallel workers may store the same module at once. */
function store(file, data) {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
}

module.exports = CodeCacheRuntime;
