/**
 * The alarm topic's resource policy as data, the same in every adapter.
 *
 * CloudWatch publishes alarm notifications as the service principal `cloudwatch.amazonaws.com`.
 * A topic whose policy lacks an Allow for it never receives them: the CDK construct's
 * `enforceSSL` writes a Deny-only policy that replaces SNS's default one, so before this statement
 * existed its alarms were silently dropped. The grant is scoped against the confused-deputy
 * problem to alarms of this account and region (`aws:SourceAccount`, `aws:SourceArn`), as in
 * AWS's example "Allow CloudWatch alarms to publish to a topic"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 * A second statement refuses publishing without TLS (what CDK's enforceSSL adds).
 */
import type { KeyPolicyContext } from './encryption';

/** One topic-policy statement; the resource is the topic itself (the adapter fills its ARN). */
export interface TopicPolicyStatementSpec {
  readonly sid: string;
  readonly effect: 'Allow' | 'Deny';
  /** A service principal, or every principal (`*`). */
  readonly principal: { readonly kind: 'service'; readonly service: string } | { readonly kind: 'any' };
  readonly actions: readonly string[];
  readonly conditions: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The statement that lets CloudWatch alarms of this account and region publish. */
export function cloudWatchAlarmPublishStatement(ctx: KeyPolicyContext): TopicPolicyStatementSpec {
  return {
    sid: 'CloudWatchAlarmsPublish',
    effect: 'Allow',
    principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' },
    actions: ['sns:Publish'],
    conditions: {
      StringEquals: { 'aws:SourceAccount': ctx.accountId },
      ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*` },
    },
  };
}

/** Every statement of the alarm topic's policy: the CloudWatch grant and the TLS-only deny. */
export function alarmTopicPolicy(ctx: KeyPolicyContext): TopicPolicyStatementSpec[] {
  return [
    cloudWatchAlarmPublishStatement(ctx),
    { sid: 'DenyInsecureTransport', effect: 'Deny', principal: { kind: 'any' }, actions: ['sns:Publish'], conditions: { Bool: { 'aws:SecureTransport': 'false' } } },
  ];
}

/** The topic policy as a JSON document, for adapters whose topic policy takes raw JSON (cdktf, Pulumi). */
export function alarmTopicPolicyDocument(ctx: KeyPolicyContext, topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: alarmTopicPolicy(ctx).map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Principal: s.principal.kind === 'service' ? { Service: s.principal.service } : { AWS: '*' },
      Action: [...s.actions],
      Resource: topicArn,
      Condition: s.conditions,
    })),
  });
}
