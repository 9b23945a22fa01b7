/**
 * The reference app (bin/app.ts): the four stacks synthesize with cdk-nag's AwsSolutions and
 * NIST.800.53.R5 checks and no unacknowledged finding (a finding makes app.synth() throw), print one
 * plan line each, and carry no token text or secret value in any user data.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { TOKEN_VALUE_MAX_BYTES } from '../../../lib/deploy/user-data';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, REFERENCE_STACKS } from '../../../bin/app';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';
import { idsOf, userDataOf } from './helpers';

describe('reference app', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const lines: string[] = [];
  const app = buildApp(new App({ outdir }), (l) => lines.push(l));
  const assembly = app.synth();

  test('four stacks, named as the issue asks', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['DeepSeekR1Distill1p5B', 'DeepSeekR1Distill70B', 'DeepSeekR1Fp8', 'DeepSeekV3Bf16MultiNode']);
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
      'AwsSolutions-IAM5[Resource::<ClusterBucketsModelStore83266839.Arn>/deepseek-iac/models/deepseek-ai/DeepSeek-V3/e815299b0bcbac849fa540c768ef21845365c9eb/*]',
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
  ])('cdk-nag %s ran and left no violation; the accepted findings each have a reason', (pack, accepted) => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === pack);
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    const suppressed = nag.suppressedViolations as { ruleName: string; reason: string }[];
    expect([...new Set(suppressed.map((v) => v.ruleName))].sort()).toEqual(accepted);
    for (const v of suppressed) expect(v.reason.length).toBeGreaterThan(40);
  });

  test('one plan line per stack, with the planner\'s topology; the R1 FP8 stack is one 8-GPU node and V3 BF16 several', () => {
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('DeepSeekR1Fp8:'))).toMatch(/: deepseek-r1 fp8: 1 × \S+ \(8 × /);
    expect(lines.find((l) => l.startsWith('DeepSeekV3Bf16MultiNode:'))).toMatch(/: deepseek-v3 bf16: [2-9] × \S+ .*EFA ×\d+/);
    expect(lines.find((l) => l.startsWith('DeepSeekR1Distill1p5B:'))).toMatch(/1 × \S+ \(1 × /);
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
