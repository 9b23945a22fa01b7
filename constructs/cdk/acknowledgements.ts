/**
 * cdk-nag findings (AwsSolutions and NIST.800.53.R5 packs) the construct accepts by design, each
 * with its reason, recorded through CDK's own `Validations.of(...).acknowledge` (no cdk-nag import:
 * users who run other rule packs see the same acknowledgements in the assembly metadata).
 *
 * IAM5 findings are acknowledged one resource at a time, with the reason the blueprint gives for
 * that wildcard, so a wildcard added later is still reported. Everything else is acknowledged on the
 * one construct that carries it.
 *
 * The construct's own warnings (plan and blueprint notices) are a different mechanism: annotations whose
 * id is the notice code, acknowledged by the user with {@link acknowledgeNotice}.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { AwsBlueprint } from '../../lib/deploy';
import type { NoticeCode } from '../../lib/notices';
import type { ClusterBuckets } from './model-store';

/** Acknowledgement ids of cdk-nag v3 are `<pack>::<rule>[<finding>]`. */
const PACK = 'AwsSolutions';
const NIST = 'NIST.800.53.R5';

/** What the construct built that carries accepted findings. */
export interface AcknowledgementTargets {
  readonly blueprint: AwsBlueprint;
  readonly role: iam.Role;
  readonly policy: iam.Policy;
  /** The workers' role and policy (blueprint.workerIam), when there are. */
  readonly worker?: { readonly role: iam.Role; readonly policy: iam.Policy };
  readonly autoScalingGroups: readonly autoscaling.AutoScalingGroup[];
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** The generated API-key secret; undefined when the caller supplied one (rotation is then theirs). */
  readonly apiKeySecret?: secretsmanager.ISecret;
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  readonly nodeSecurityGroup: ec2.SecurityGroup;
  /** allowPublicIngress was set and an allowed peer is 0.0.0.0/0 or ::/0. */
  readonly publicIngress: boolean;
  /** The VPC the construct created (absent for a caller's VPC, whose design is the caller's). */
  readonly createdVpc?: ec2.Vpc;
  /** The buckets the construct created. */
  readonly buckets?: ClusterBuckets;
}

function ack(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${PACK}::${rule}`, reason });
}

function nist(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${NIST}::${NIST}-${rule}`, reason });
}

/** Record the accepted findings on the construct's resources. */
export function acknowledgeFindings(t: AcknowledgementTargets): void {
  const roles = [{ role: t.role, policy: t.policy, spec: t.blueprint.iam }, ...(t.worker && t.blueprint.workerIam ? [{ ...t.worker, spec: t.blueprint.workerIam }] : [])];
  for (const { role, policy, spec } of roles) {
    for (const name of spec.managedPolicies) {
      ack(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        `${name} is AWS's documented minimum for SSM Session Manager, which replaces SSH on the nodes; the engine, the only code not ours, cannot use the role (its slice is blocked from instance metadata)`);
    }
    const stack = Stack.of(policy);
    for (const s of spec.statements) {
      if (s.wildcardReason === undefined) continue;
      for (const r of s.resources.filter((res) => res.endsWith('*'))) {
        ack(policy, `AwsSolutions-IAM5[Resource::${nagResource(stack, r)}]`, `${s.sid}: ${s.wildcardReason}`);
      }
    }
  }
  for (const asg of t.autoScalingGroups) {
    ack(asg, 'AwsSolutions-AS3',
      'fixed-size group (min = max = desired); node replacements are in the group activity history and EventBridge (aws.autoscaling) for callers who want alerts');
    nist(asg, 'AutoScalingGroupELBHealthCheckRequired',
      'EC2 health checks on purpose: an engine restart reloads the model for longer than the load balancer\'s 90 s of patience, so ELB checks would replace a node that is only restarting; the node watchdog reports the node unhealthy once the engine has failed /health for longer than a restart takes (lib/deploy/health.ts engineRestartGraceSeconds), and the NLB still takes it out of rotation at once');
  }
  const tls = t.blueprint.loadBalancer.tls !== undefined;
  if (!tls) {
    const why = 'no certificateArn was given: the internal API listener is TCP, the API key authenticates callers, and Network Load Balancers write access logs only for TLS listeners (engine access logs are in CloudWatch); pass certificateArn for TLS and access logs';
    ack(t.loadBalancer, 'AwsSolutions-ELB2', why);
    nist(t.loadBalancer, 'ELBLoggingEnabled', why);
    nist(t.loadBalancer, 'ELBv2ACMCertificateRequired', why);
  }
  nist(t.loadBalancer, 'ELBDeletionProtectionEnabled',
    'deletion protection would make `cdk destroy` of the cluster fail; the load balancer holds no data and is recreated with the stack');
  for (const policy of [t.policy, ...(t.worker ? [t.worker.policy] : [])]) {
    nist(policy, 'IAMNoInlinePolicy',
      'the node policy is a standalone AWS::IAM::Policy attached to this cluster\'s role only; its statements name this cluster\'s log groups, secrets, bucket prefix and key, so there is nothing to reuse as a managed policy');
  }
  if (t.apiKeySecret) {
    const why = 'the engine reads the key once at start and clients hold a copy: rotate by updating the secret, restarting the engine unit and handing out the new key (README)';
    ack(t.apiKeySecret, 'AwsSolutions-SMG4', why);
    nist(t.apiKeySecret, 'SecretsManagerRotationEnabled', why);
  }
  if (t.publicIngress) {
    ack(t.loadBalancerSecurityGroup, 'AwsSolutions-EC23', 'allowPublicIngress is true: the caller explicitly opened the API port to 0.0.0.0/0 or ::/0');
  }
  if (t.blueprint.nodes > 1) {
    nist(t.nodeSecurityGroup, 'EC2RestrictedCommonPorts',
      'the only all-traffic rule admits the node security group itself: EFA requires all traffic within its security group (AWS EFA user guide), and NCCL / Ray pick ports at run time; nothing outside the group is admitted');
  }
  if (t.createdVpc) {
    for (const subnet of t.createdVpc.publicSubnets) {
      nist(subnet, 'VPCNoUnrestrictedRouteToIGW',
        'public subnets hold only the NAT gateway, whose default route must point at the internet gateway; nodes and the load balancer are in private subnets and public IPs are not assigned');
    }
    nist(t.createdVpc, 'VPCDefaultSecurityGroupClosed',
      'no resource uses the VPC default security group (nodes, load balancer and endpoints have their own); stripping its rules needs a custom-resource Lambda that would add its own findings');
    const flowLog = t.createdVpc.node.tryFindChild('FlowLog');
    if (flowLog) {
      nist(flowLog, 'IAMNoInlinePolicy',
        'the VPC flow-log role\'s policy (generated by the CDK) only lets the flow-log service write to this VPC\'s encrypted log group');
    }
  }
  if (t.buckets) {
    const logs = t.buckets.accessLogs;
    const why = 'this bucket is the access-log destination: logging it into itself would loop, and S3 server access logging and NLB access logs are delivered with SSE-S3 encryption';
    ack(logs, 'AwsSolutions-S1', why);
    nist(logs, 'S3BucketLoggingEnabled', why);
    nist(logs, 'S3DefaultEncryptionKMS', why);
    nist(logs, 'S3BucketReplicationEnabled', 'access logs are operational records of this cluster, kept for a year in one region');
    if (t.buckets.modelStore) {
      nist(t.buckets.modelStore, 'S3BucketReplicationEnabled',
        'the model store is a cache of a public Hugging Face checkpoint: if it is lost, the next boot downloads from Hugging Face again and refills it');
    }
  }
}

/**
 * A resource string as cdk-nag prints it in finding ids: intrinsics rendered as `<AWS::Partition>`
 * (Ref) and `<LogicalId.Attr>` (Fn::GetAtt) inside an Fn::Join.
 */
function nagResource(stack: Stack, value: string): string {
  return Token.isUnresolved(value) ? nagRender(stack.resolve(value)) : value;
}

/** A resolved resource value as cdk-nag prints it: Ref as `<Name>`, GetAtt as `<Id.Attr>`, joins joined. */
export function nagRender(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if ('Ref' in o) return `<${String(o.Ref)}>`;
  if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(nagRender).join(sep);
  }
  return JSON.stringify(v);
}

/**
 * Acknowledge a deepseek-iac warning by its notice code (README.md "Notice codes") on `scope` and everything
 * below it, with the code checked against the registry by tsc. It is the acknowledgement `cdk synth` names
 * (`Annotation::<code>`), made through `Validations.of(scope).acknowledge` so the reason is recorded in the
 * assembly (`aws:cdk:acknowledged-rules`); CDK removes the warning whether the acknowledgement comes before
 * or after the construct.
 */
export function acknowledgeNotice(scope: IConstruct, code: NoticeCode, reason: string): void {
  Validations.of(scope).acknowledge({ id: `Annotation::${code}`, reason });
}
