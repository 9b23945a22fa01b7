/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // aws-cdk-lib's built-in CloudFormation validation off, except where a test turns it on (see the file).
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  // Compiles each module with V8's code cache from the previous run: aws-cdk-lib, Pulumi and cdktf are parsed
  // again in every test file otherwise (test/helpers/code-cache-runtime.js; test/README.md, Speed).
  runtime: '<rootDir>/test/helpers/code-cache-runtime.js',
  // Two cores on the project's machines: jest's default (cores − 1) would run one suite at a time, and
  // each CDK suite spends ~2 s loading aws-cdk-lib.
  maxWorkers: 2,
};
