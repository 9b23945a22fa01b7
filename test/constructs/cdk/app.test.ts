/**
 * The reference app (bin/app.ts): the four stacks synthesize with cdk-nag's AwsSolutions and
 * NIST.800.53.R5 checks and no unacknowledged finding (a finding makes app.synth() throw), print one
 * plan line each, and carry no token text or secret value in any user data. Each deploys as given: its
 * checkpoint provides the planned precision (a mismatch fails synth), and the multi-node stack runs an
 * image with the EFA libraries. They also pass aws-cdk-lib's built-in CloudFormation validation (resource
 * schemas), with warnings counted as errors: the one file of the suite that runs it (test/helpers/setup-env.ts
 * turns it off elsewhere for speed).
 */
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { TOKEN_VALUE_MAX_BYTES } from '../../../lib/deploy/user-data';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, DeepSeekReferenceStack, REFERENCE_STACKS, ReferenceStackError } from '../../../bin/app';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';
import { idsOf, userDataOf } from './helpers';

// Before any synth in this file: the built-in CloudFormation validation runs here (see the file comment).
delete process.env.CDK_VALIDATION;
/** Context that makes every finding of the built-in validation fail synth (aws-cdk-lib cx-api flags). */
const STRICT_CFN_VALIDATION = { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true };

/**
 * What each accepted cdk-nag finding is about, from cdk-nag's rule descriptions
 * (https://github.com/cdklabs/cdk-nag/blob/main/RULES.md): an acknowledgement's reason must address it, so a
 * reason pasted onto the wrong finding fails. IAM4 and IAM5 are checked against the finding's own policy.
 */
const RULE_SUBJECTS: Readonly<Record<string, RegExp>> = {
  'AwsSolutions-AS3': /EventBridge|notification/i, // the Auto Scaling group has no notifications for all scaling events
  'AwsSolutions-ELB2': /access log/i, // the ELB has no access logs
  'AwsSolutions-SMG4': /rotat/i, // the secret has no automatic rotation
  'NIST.800.53.R5-AutoScalingGroupELBHealthCheckRequired': /health check/i, // the Auto Scaling group does not use ELB health checks
  'NIST.800.53.R5-EC2RestrictedCommonPorts': /port/i, // unrestricted inbound traffic on common ports
  'NIST.800.53.R5-ELBDeletionProtectionEnabled': /deletion protection/i,
  'NIST.800.53.R5-ELBLoggingEnabled': /access log/i,
  'NIST.800.53.R5-ELBv2ACMCertificateRequired': /certificate/i, // the listener has no ACM certificate
  'NIST.800.53.R5-IAMNoInlinePolicy': /polic/i, // an inline policy instead of a managed one
  'NIST.800.53.R5-S3BucketReplicationEnabled': /region|lost/i, // no replication: why one copy in one region is enough
  'NIST.800.53.R5-S3DefaultEncryptionKMS': /encrypt|SSE/i, // S3-managed instead of KMS encryption
  'NIST.800.53.R5-SecretsManagerRotationEnabled': /rotat/i,
  'NIST.800.53.R5-VPCDefaultSecurityGroupClosed': /default security group/i,
  'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW': /internet gateway/i, // a route to an internet gateway
};

/** A policy resource as cdk-nag prints it in IAM5 finding ids: `<AWS::Partition>` for Ref, `<Id.Attr>` for Fn::GetAtt. */
function nagResource(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if ('Ref' in o) return `<${String(o.Ref)}>`;
  if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(nagResource).join(sep);
  }
  return JSON.stringify(v);
}

interface Suppressed {
  readonly ruleName: string;
  readonly reason: string;
  readonly violatingConstructs: { constructPath: string }[];
}

/** Why an accepted finding's reason does not fit it, or undefined when it does. */
function reasonMisfit(app: App, v: Suppressed): string | undefined {
  const iam4 = /^AwsSolutions-IAM4\[Policy::.*:policy\/(.+)\]$/.exec(v.ruleName);
  if (iam4) return v.reason.includes(iam4[1]) ? undefined : `does not name the managed policy ${iam4[1]}`;
  const iam5 = /^AwsSolutions-IAM5\[Resource::(.+)\]$/.exec(v.ruleName);
  if (iam5) {
    // The reason opens with the Sid of a statement of the flagged policy that grants that wildcard resource.
    const sids = v.violatingConstructs.flatMap(({ constructPath }) => {
      const policy = app.node.findAll().find((c) => c.node.path === constructPath) as iam.CfnPolicy;
      const doc = Stack.of(policy).resolve(policy.policyDocument) as { Statement: { Sid?: string; Resource: unknown }[] };
      return doc.Statement.filter((st) => [st.Resource].flat().map(nagResource).includes(iam5[1])).map((st) => st.Sid);
    });
    return sids.some((sid) => sid !== undefined && v.reason.startsWith(`${sid}: `)) ? undefined : `does not open with the Sid of a statement granting it (${sids.join(', ')})`;
  }
  const subject = RULE_SUBJECTS[v.ruleName];
  if (subject === undefined) return 'no subject known for this rule: add it to RULE_SUBJECTS from cdk-nag RULES.md';
  return subject.test(v.reason) ? undefined : `does not address ${subject}`;
}

describe('reference app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const lines: string[] = [];
  const app = buildApp(new App({ outdir, context: STRICT_CFN_VALIDATION }), (l) => lines.push(l));
  // Throws on any finding of the built-in CloudFormation validation (and on any unacknowledged cdk-nag finding).
  const assembly = app.synth();

  test('four stacks, named as the issue asks', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['DeepSeekR1Distill1p5B', 'DeepSeekR1Distill70B', 'DeepSeekR1Fp8', 'DeepSeekR1Fp8MultiNode', 'DeepSeekV4Flash', 'DeepSeekV4Pro']);
    expect(Object.keys(REFERENCE_STACKS).sort()).toEqual(assembly.stacks.map((s) => s.stackName).sort());
  });

  test.each([
    ['AwsSolutions', [
      'AwsSolutions-AS3', 'AwsSolutions-ELB2',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Llama-70B/default/*]',
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B/ad9f0ae0864d7fbcd1cd905e3c6c5b069cc8b562/*]',
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-R1/56d4cbbb4d29f4355bab4b9a39ccb717a14ad5ad/*]',
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-V4-Flash-0731/default/*]',
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-V4-Pro-0813/default/*]',
      'AwsSolutions-IAM5[Resource::<ClusterEngineLogs6AAAB118.Arn>:*]',
      'AwsSolutions-IAM5[Resource::<ClusterSystemLogs7D00F449.Arn>:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*]',
      'AwsSolutions-SMG4',
    ]],
    ['NIST.800.53.R5', [
      'NIST.800.53.R5-AutoScalingGroupELBHealthCheckRequired', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-ELBDeletionProtectionEnabled', 'NIST.800.53.R5-ELBLoggingEnabled',
      'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'NIST.800.53.R5-IAMNoInlinePolicy', 'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS', 'NIST.800.53.R5-SecretsManagerRotationEnabled', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
    ]],
  ])('cdk-nag %s ran and left no violation; each accepted finding has a reason that addresses it', (pack, accepted) => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === pack);
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    const suppressed = nag.suppressedViolations as { ruleName: string; reason: string }[];
    expect([...new Set(suppressed.map((v) => v.ruleName))].sort()).toEqual(accepted);
    expect(suppressed.map((v) => [v.ruleName, reasonMisfit(app, v as Suppressed)]).filter(([, misfit]) => misfit !== undefined)).toEqual([]);
  });

  test('one plan line per stack, with the planner\'s topology; R1 FP8 on one 8-GPU node, and on 2 × p5.48xlarge over EFA', () => {
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => l.startsWith('DeepSeekR1Fp8:'))).toMatch(/: deepseek-r1 fp8: 1 × \S+ \(8 × /);
    // p5.48xlarge: 8 × H100 and 32 EFA interfaces (lib/catalog/instances.ts).
    // The planner runs data-parallel attention over the 16 GPUs (more requests than TP 8 × PP 2: test/plan/data-parallel.test.ts).
    expect(lines.find((l) => l.startsWith('DeepSeekR1Fp8MultiNode:'))).toMatch(/: deepseek-r1 fp8: 2 × p5\.48xlarge \(8 × h100, DP 16 \+ EP 16, EFA ×32\)/);
    expect(lines.find((l) => l.startsWith('DeepSeekV4Flash:'))).toMatch(/: deepseek-v4-flash-0731 fp4: 1 × /);
    expect(lines.find((l) => l.startsWith('DeepSeekV4Pro:'))).toMatch(/: deepseek-v4-pro-0813 fp4: 1 × /);
    expect(lines.find((l) => l.startsWith('DeepSeekR1Distill1p5B:'))).toMatch(/1 × \S+ \(1 × /);
  });

  test('every stack plans the precision its checkpoint provides: no checkpoint/precision or EFA-image finding', () => {
    for (const stack of app.node.children.filter((c): c is DeepSeekReferenceStack => c instanceof DeepSeekReferenceStack)) {
      const codes = stack.cluster.blueprint.warnings.map((w) => w.code);
      expect(codes).not.toContain('DSIAC-AWS3');
      expect(codes).not.toContain('DSIAC-AWS4');
    }
  });

  test('the multi-node stack runs the AWS vLLM container with the EFA libraries, on every node', () => {
    const stack = app.node.children.find((c): c is DeepSeekReferenceStack => c instanceof DeepSeekReferenceStack && c.node.id === 'DeepSeekR1Fp8MultiNode')!;
    const serving = stack.cluster.blueprint.plan.serving;
    expect(serving.image).toBe('public.ecr.aws/deep-learning-containers/vllm:server-cuda-v2.3');
    expect(serving.efaLibraries).toBe(true);
    expect(serving.engineVersion).toBe('0.27.0');
    const t = Template.fromStack(stack);
    const scripts = idsOf(t, 'AWS::EC2::LaunchTemplate').map((id) => userDataOf(t, id));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain('public.ecr.aws/deep-learning-containers/vllm:server-cuda-v2.3');
  });

  test('a reference stack whose checkpoint lacks the planned precision fails synth (not a warning)', () => {
    const bad = new App();
    // V3 planned in BF16 from the default source, the FP8 release: what the old V3 BF16 stack did.
    expect(() => new DeepSeekReferenceStack(bad, 'V3Bf16FromFp8', { model: 'deepseek-v3', precision: 'bf16', maxNodes: 4 })).toThrow(ReferenceStackError);
    expect(() => new DeepSeekReferenceStack(new App(), 'V3Bf16FromFp8', { model: 'deepseek-v3', precision: 'bf16', maxNodes: 4 })).toThrow(/V3Bf16FromFp8: the plan serves bf16, but .*FP8 release/);
  });

  test('the built-in CloudFormation validation is on in this file: a misspelt property fails synth', () => {
    const bad = new App({ outdir: mkdtempSync(join(tmpdir(), 'deepseek-cdk-cfn-')), context: STRICT_CFN_VALIDATION });
    try {
      new CfnResource(new Stack(bad, 'Misspelt'), 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketNme: 'x' } });
      expect(() => bad.synth()).toThrow(/BucketNme/);
    } finally {
      rmSync(bad.outdir, { recursive: true, force: true });
    }
  });

  test('stacks are environment-agnostic', () => {
    for (const s of assembly.stacks) expect(s.environment.account).toBe('unknown-account');
  });

  test('no user data holds token text or a secret value; every script parses', () => {
    for (const stack of app.node.children.filter((c) => c.node.id in REFERENCE_STACKS)) {
      const t = Template.fromStack(stack as never);
      for (const id of idsOf(t, 'AWS::EC2::LaunchTemplate')) {
        const script = userDataOf(t, id);
        expect(script).not.toContain('${Token');
        expect(script).not.toMatch(/SecretString"\s*:|"password"/i);
        expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
        // Under EC2's 16 KB once deployed: every deploy-time reference (secret ARN, log group and
        // bucket names) counted at the longest any of them can become (lib/deploy TOKEN_VALUE_MAX_BYTES).
        const refs = script.match(/REF_\w+|GETATT_\w+/g) ?? [];
        const longest = Math.max(...Object.values(TOKEN_VALUE_MAX_BYTES));
        const deployed = Buffer.byteLength(script.replace(/REF_\w+|GETATT_\w+/g, '')) + longest * refs.length;
        expect(deployed).toBeLessThan(16 * 1024);
      }
    }
  });
});

describe('cdk-nag on a cluster with S3 weights and imported secrets', () => {
  test('the S3-prefix wildcard is acknowledged by its own finding id; imported secrets pass', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-nag-'));
    try {
      const app = new App({ outdir });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const stack = new Stack(app, 'S3Weights');
      new DeepSeekInferenceCluster(stack, 'Cluster', {
        model: 'deepseek-r1-distill-qwen-1.5b',
        modelSource: 's3://weights-bucket/deepseek/r1-1.5b',
        apiKeySecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'prod/deepseek/api-key'),
        huggingFaceTokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Hf', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:hf-token-AbCdEf'),
      });
      expect(() => app.synth()).not.toThrow();
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      const rules = report.pluginReports[0].suppressedViolations.map((v: { ruleName: string }) => v.ruleName);
      expect(rules).toContain('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::weights-bucket/deepseek/r1-1.5b/*]');
      // A caller's secret: its rotation is the caller's business, so no SMG4 acknowledgement is made for it.
      expect(rules).not.toContain('AwsSolutions-SMG4');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
          Sid: 'ReadSecrets',
          Resource: [
            Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:prod/deepseek/api-key-\\?\\?\\?\\?\\?\\?$')])] }),
            'arn:aws:secretsmanager:us-east-1:111122223333:secret:hf-token-AbCdEf',
          ],
        })]) },
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
