/**
 * Environment for every test file (jest `setupFiles`).
 *
 * aws-cdk-lib runs a built-in CloudFormation validation (a WebAssembly rule engine, `@aws/cloudformation-validate`)
 * on every synth unless `CDK_VALIDATION=false`: measured here, about 1.4 s to start the engine in each test file and
 * 0.3–0.5 s per stack, most of the CDK suites' time. It checks templates against the CloudFormation resource
 * schemas, so it stays on where it pays: test/constructs/cdk/app.test.ts synthesizes the four reference stacks with
 * it on and warnings counted as errors. Everywhere else the templates are asserted property by property.
 */
process.env.CDK_VALIDATION = 'false';
