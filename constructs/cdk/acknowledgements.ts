/**
 * cdk-nag (AwsSolutions) findings the construct accepts by design, each with its reason, recorded
 * through CDK's own `Validations.of(...).acknowledge` (no cdk-nag import: users who run other rule
 * packs see the same acknowledgements in the assembly metadata).
 *
 * IAM5 findings are acknowledged one resource at a time, with the reason the blueprint gives for
 * that wildcard, so a wildcard added later is still reported.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { AwsBlueprint } from '../../lib/deploy';

/** Acknowledgement ids of cdk-nag v3 are `<pack>::<rule>[<finding>]`. */
const PACK = 'AwsSolutions';

/** What the construct built that carries accepted findings. */
export interface AcknowledgementTargets {
  readonly blueprint: AwsBlueprint;
  readonly role: iam.Role;
  readonly policy: iam.Policy;
  readonly autoScalingGroups: readonly autoscaling.AutoScalingGroup[];
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** The generated API-key secret; undefined when the caller supplied one (rotation is then theirs). */
  readonly apiKeySecret?: secretsmanager.ISecret;
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** allowPublicIngress was set and an allowed peer is 0.0.0.0/0 or ::/0. */
  readonly publicIngress: boolean;
}

function ack(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${PACK}::${rule}`, reason });
}

/** Record the accepted findings on the construct's resources. */
export function acknowledgeFindings(t: AcknowledgementTargets): void {
  for (const name of t.blueprint.iam.managedPolicies) {
    ack(t.role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
      `${name} is AWS's documented minimum for SSM Session Manager, which replaces SSH on the nodes`);
  }
  const stack = Stack.of(t.policy);
  for (const s of t.blueprint.iam.statements) {
    if (s.wildcardReason === undefined) continue;
    for (const r of s.resources.filter((res) => res.endsWith('*'))) {
      ack(t.policy, `AwsSolutions-IAM5[Resource::${nagResource(stack, r)}]`, `${s.sid}: ${s.wildcardReason}`);
    }
  }
  for (const asg of t.autoScalingGroups) {
    ack(asg, 'AwsSolutions-AS3',
      'fixed-size group (min = max = desired); node replacements are in the group activity history and EventBridge (aws.autoscaling) for callers who want alerts');
  }
  ack(t.loadBalancer, 'AwsSolutions-ELB2',
    'Network Load Balancers write access logs only for TLS listeners; this internal API listener is TCP (engine logs are in CloudWatch)');
  if (t.apiKeySecret) {
    ack(t.apiKeySecret, 'AwsSolutions-SMG4',
      'the engine reads the key once at start and clients hold a copy: rotate by updating the secret, restarting the engine unit and handing out the new key (README)');
  }
  if (t.publicIngress) {
    ack(t.loadBalancerSecurityGroup, 'AwsSolutions-EC23', 'allowPublicIngress is true: the caller explicitly opened the API port to 0.0.0.0/0 or ::/0');
  }
}

/**
 * A resource string as cdk-nag prints it in finding ids: intrinsics rendered as `<AWS::Partition>`
 * (Ref) and `<LogicalId.Attr>` (Fn::GetAtt) inside an Fn::Join.
 */
function nagResource(stack: Stack, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    return JSON.stringify(v);
  };
  return render(stack.resolve(value));
}

