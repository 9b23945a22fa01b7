/**
 * Stand-alone cdktf example: a DeepSeek-R1 distill on an EC2 GPU node in an existing VPC, API open to
 * the VPC's range. `App.synth()` writes Terraform JSON offline (no terraform binary, no cdktf CLI,
 * no credentials): `npx ts-node --transpile-only examples/cdktf/main.ts`, then
 * `cd examples/cdktf/cdktf.out/stacks/deepseek-r1-distill && terraform init && terraform apply`.
 *
 * Placement comes from the environment (VPC_ID, SUBNET_IDS=subnet-a,subnet-b, ALLOWED_CIDR,
 * AWS_REGION, CDKTF_OUTDIR; optional CERTIFICATE_ARN for a TLS listener with access logs); the defaults are documentation values that synthesize but do not deploy.
 * In your own project import from `deepseek-iac/cdktf` instead of the relative path.
 */
import { join } from 'node:path';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeepSeekInferenceCluster } from '../../constructs/cdktf';

/** Build and synthesize the example app into `outdir`; returns the app (its stack is `deepseek-r1-distill`). */
export function buildApp(outdir: string, env: NodeJS.ProcessEnv = process.env): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'deepseek-r1-distill');
  // A relative state path: the default local backend would write this machine's absolute path into the JSON.
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new AwsProvider(stack, 'aws', { region: env.AWS_REGION ?? 'us-east-1' });

  const allowedCidr = env.ALLOWED_CIDR ?? '10.0.0.0/16';
  const cluster = new DeepSeekInferenceCluster(stack, 'R1Distill7B', {
    model: 'deepseek-r1-distill-qwen-7b',
    contextTokens: 16384,
    concurrency: 4,
    vpcId: env.VPC_ID ?? 'vpc-0123456789abcdef0',
    subnetIds: (env.SUBNET_IDS ?? 'subnet-0123456789abcdef0,subnet-0fedcba9876543210').split(','),
    allowedCidrs: [allowedCidr],
    ...(env.CERTIFICATE_ARN ? { certificateArn: env.CERTIFICATE_ARN } : {}),
  });

  new TerraformOutput(stack, 'api_url', { value: cluster.endpoint.url, description: 'OpenAI-compatible base URL (internal)' });
  new TerraformOutput(stack, 'api_key_secret_arn', { value: cluster.apiKeySecretArn, description: 'Store the API key here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>' });
  new TerraformOutput(stack, 'plan', { value: cluster.blueprint.summary });
  new TerraformOutput(stack, 'hourly_cost_usd', { value: cluster.hourlyCostUsd, description: `Planned cost while running: ${cluster.blueprint.cost?.description ?? ''}` });
  app.synth();
  return app;
}

if (require.main === module) buildApp(process.env.CDKTF_OUTDIR ?? join(__dirname, 'cdktf.out'));
