/**
 * Stand-alone Pulumi example: a DeepSeek-R1 distill on an EC2 GPU node in an existing VPC, API open
 * to the VPC's range.
 *
 *   cd examples/pulumi
 *   pulumi stack init dev
 *   pulumi config set aws:region us-east-1
 *   pulumi config set vpcId vpc-...
 *   pulumi config set --path 'subnetIds[0]' subnet-a
 *   pulumi config set --path 'subnetIds[1]' subnet-b
 *   pulumi config set allowedCidr 10.0.0.0/16
 *   pulumi config set certificateArn arn:aws:acm:...   # optional: TLS listener and access logs
 *   pulumi up
 *
 * In your own project import from `deepseek-iac/pulumi` instead of the relative path.
 */
import * as pulumi from '@pulumi/pulumi';
import { DeepSeekInferenceCluster } from '../../constructs/pulumi';

const config = new pulumi.Config();
// Empty or unset: a plain TCP listener.
const certificateArn = config.get('certificateArn');

const cluster = new DeepSeekInferenceCluster('r1-distill-7b', {
  model: 'deepseek-r1-distill-qwen-7b',
  contextTokens: 16384,
  concurrency: 4,
  vpcId: config.require('vpcId'),
  subnetIds: config.requireObject<string[]>('subnetIds'),
  allowedCidrs: [config.get('allowedCidr') ?? '10.0.0.0/16'],
  ...(certificateArn ? { certificateArn } : {}),
});

/** OpenAI-compatible base URL (internal to the VPC). */
export const apiUrl = cluster.endpoint.url;
/** Store the API key here: `aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>`. */
export const apiKeySecretArn = cluster.apiKeySecretArn;
/** The planner's choice in one line. */
export const plan = cluster.summary;
