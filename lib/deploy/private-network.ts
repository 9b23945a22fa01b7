/**
 * The VPC endpoints that let nodes reach the AWS APIs they call without a NAT gateway, and the TLS
 * listener settings of the load balancer.
 *
 * Endpoint service names are `com.amazonaws.<region>.<service>`; S3 has a free gateway endpoint,
 * the others are interface endpoints billed per AZ-hour (AWS PrivateLink pricing). Without NAT a node
 * still needs the engine image from a registry it can reach (ECR through `ecr.api`/`ecr.dkr`
 * endpoints, which this list leaves to the caller because the default images are on Docker Hub) and
 * the weights on S3.
 */
import type { Plan } from '../plan/types';
import type { PolicyStatementSpec } from './iam';

/** One VPC endpoint and why the nodes need it. */
export interface VpcEndpointSpec {
  /** Service suffix after `com.amazonaws.<region>.`. */
  readonly service: string;
  readonly kind: 'gateway' | 'interface';
  readonly reason: string;
  /**
   * Endpoint policy (issue 13 §5): the node role's statements for this service, for any principal, so
   * the endpoint reaches only the cluster's resources (its secrets, log groups, groups, metric
   * namespace). Absent: the endpoint's default full access — the SSM channels (the SSM agent's own
   * calls cannot be listed per cluster) and the S3 gateway (its route also carries the CloudWatch agent
   * package and ECR image layers from AWS-owned buckets).
   */
  readonly policy?: readonly PolicyStatementSpec[];
}

/** The IAM service prefix of an interface endpoint whose calls the node policy lists in full. */
const POLICY_PREFIX: Readonly<Record<string, string>> = { secretsmanager: 'secretsmanager', logs: 'logs', autoscaling: 'autoscaling', monitoring: 'cloudwatch', ec2: 'ec2' };

/** `specs` with the policy of each endpoint whose service the node statements cover (see VpcEndpointSpec.policy). */
export function withEndpointPolicies(specs: readonly VpcEndpointSpec[], nodeStatements: readonly PolicyStatementSpec[]): VpcEndpointSpec[] {
  return specs.map((e) => {
    const prefix = POLICY_PREFIX[e.service];
    if (e.kind !== 'interface' || prefix === undefined) return e;
    const policy = nodeStatements.filter((st) => st.actions.every((a) => a.startsWith(`${prefix}:`)));
    return policy.length > 0 ? { ...e, policy } : e;
  });
}

/** What the nodes of a deployment call. */
export interface EndpointNeeds {
  /** The CloudWatch agent publishes GPU metrics. */
  readonly metrics: boolean;
  /** Nodes call autoscaling:SetInstanceHealth. */
  readonly reportUnhealthy?: boolean;
}

/** The endpoints the nodes of `plan` use, in a stable order. */
export function vpcEndpoints(plan: Plan, needs: EndpointNeeds): VpcEndpointSpec[] {
  const out: VpcEndpointSpec[] = [
    { service: 's3', kind: 'gateway', reason: 'weights from S3 and the model store, the CloudWatch agent package' },
    { service: 'ssm', kind: 'interface', reason: 'Session Manager and the CloudWatch agent configuration parameter' },
    { service: 'ssmmessages', kind: 'interface', reason: 'Session Manager shell sessions' },
    { service: 'ec2messages', kind: 'interface', reason: 'SSM agent command channel' },
    { service: 'secretsmanager', kind: 'interface', reason: 'API key (and Hugging Face token) at engine start' },
    { service: 'logs', kind: 'interface', reason: 'engine and kernel logs' },
  ];
  if (needs.reportUnhealthy) out.push({ service: 'autoscaling', kind: 'interface', reason: 'the node watchdog reports a lost GPU or a failed boot as unhealthy' });
  if (needs.metrics) out.push({ service: 'monitoring', kind: 'interface', reason: 'GPU metrics from the CloudWatch agent' });
  if (plan.topology.nodes > 1) out.push({ service: 'ec2', kind: 'interface', reason: 'workers find the head and watch the cluster membership (ec2:DescribeInstances)' });
  return out;
}

/**
 * TLS policy of the listener: TLS 1.3 and 1.2 with forward-secret ciphers, the policy the CDK calls
 * RECOMMENDED_TLS (aws-cdk-lib SslPolicy, confirmed in aws-cdk-lib 2.276).
 */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** The load balancer's TLS listener when a certificate is given. */
export interface TlsListenerSpec {
  /** ACM certificate ARN (may be an adapter token). */
  readonly certificateArn: string;
  readonly sslPolicy: string;
}
