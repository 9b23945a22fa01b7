/**
 * Security scan of every synthesized reference template (bin/app.ts): no secrets (no literal key
 * material, no unresolved token text, secrets by reference only in user data), no ingress from
 * 0.0.0.0/0 or ::/0, no unencrypted storage (EBS, S3, CloudWatch Logs, SNS, Secrets Manager), and no
 * wildcard actions on data (`*`, `s3:*`, `secretsmanager:*`, `kms:*` anywhere; data actions on
 * resource `*` in identity policies). The scanner is first shown to catch each kind of violation in
 * a deliberately bad template, so a clean result means something.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepSeekReferenceStack, REFERENCE_STACKS } from '../../../bin/app';
import { userDataOf } from './helpers';

type Json = Record<string, any>;
interface Finding { readonly resource: string; readonly rule: string; readonly detail: string }

const SECRET_PATTERNS: [string, RegExp][] = [
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['Hugging Face token', /\bhf_[A-Za-z0-9]{30,}\b/],
  ['unresolved CDK token', /\$\{Token\[/],
];
const DATA_SERVICES = ['s3', 'secretsmanager', 'kms'];
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every problem in one CloudFormation template. */
function scan(template: Json): Finding[] {
  const findings: Finding[] = [];
  const add = (resource: string, rule: string, detail: string) => findings.push({ resource, rule, detail });
  const text = JSON.stringify(template);
  for (const [name, re] of SECRET_PATTERNS) if (re.test(text)) add('(template)', 'secret', name);

  const statements = (resource: string, doc: Json | undefined, identity: boolean) => {
    for (const s of list<Json>(doc?.Statement)) {
      if (s.Effect !== 'Allow') continue;
      const actions = list<string>(s.Action);
      for (const a of actions) {
        if (a === '*' || DATA_SERVICES.some((svc) => a === `${svc}:*`)) add(resource, 'wildcard-action', a);
      }
      if (identity && list(s.Resource).includes('*')) {
        for (const a of actions.filter((x) => DATA_SERVICES.includes(x.split(':')[0]))) add(resource, 'data-action-on-*', a);
      }
    }
  };

  for (const [id, r] of Object.entries(template.Resources as Record<string, Json>)) {
    const p: Json = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::EC2::SecurityGroup':
        for (const rule of list<Json>(p.SecurityGroupIngress)) if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') add(id, 'open-ingress', JSON.stringify(rule));
        break;
      case 'AWS::EC2::SecurityGroupIngress':
        if (p.CidrIp === '0.0.0.0/0' || p.CidrIpv6 === '::/0') add(id, 'open-ingress', JSON.stringify(p));
        break;
      case 'AWS::EC2::LaunchTemplate': {
        for (const b of list<Json>(p.LaunchTemplateData?.BlockDeviceMappings)) if (b.Ebs && b.Ebs.Encrypted !== true) add(id, 'unencrypted', `EBS ${b.DeviceName}`);
        const script = userDataOf(Template.fromJSON(template), id);
        if (script.includes('${Token')) add(id, 'secret', 'token text in user data');
        if (!/^readonly API_KEY_SECRET_ID='?REF_/m.test(script)) add(id, 'secret', 'API key secret not passed by reference');
        break;
      }
      case 'AWS::EC2::Volume':
        if (p.Encrypted !== true) add(id, 'unencrypted', 'EBS volume');
        break;
      case 'AWS::S3::Bucket':
        if (!p.BucketEncryption) add(id, 'unencrypted', 'S3 bucket without default encryption');
        break;
      case 'AWS::Logs::LogGroup':
        if (!p.KmsKeyId) add(id, 'unencrypted', 'log group without a KMS key');
        break;
      case 'AWS::SNS::Topic':
        if (!p.KmsMasterKeyId) add(id, 'unencrypted', 'SNS topic without a KMS key');
        break;
      case 'AWS::SecretsManager::Secret':
        if (p.SecretString !== undefined) add(id, 'secret', 'literal SecretString');
        if (!p.KmsKeyId) add(id, 'unencrypted', 'secret under the default AWS-managed key');
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        statements(id, p.PolicyDocument, true);
        break;
      case 'AWS::IAM::Role':
        for (const pol of list<Json>(p.Policies)) statements(id, pol.PolicyDocument, true);
        break;
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SNS::TopicPolicy':
        statements(id, p.PolicyDocument, false);
        break;
      case 'AWS::KMS::Key':
        statements(id, p.KeyPolicy, false);
        break;
    }
  }
  return findings;
}

describe('the scanner catches each kind of problem', () => {
  const bad = {
    Resources: {
      Open: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }] } },
      OpenV6: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { CidrIpv6: '::/0', IpProtocol: '-1' } },
      Plain: { Type: 'AWS::S3::Bucket', Properties: {} },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8 } }], UserData: { 'Fn::Base64': "readonly API_KEY_SECRET_ID='sk-live-1234'\n" } } } },
      Key: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: 'hunter2' } },
      Admin: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*' }] } } },
      KeyPolicy: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } } },
      Leak: { Type: 'AWS::SSM::Parameter', Properties: { Value: 'AKIAABCDEFGHIJKLMNOP' } },
    },
  };
  const findings = scan(bad);
  test.each([
    ['Open', 'open-ingress'], ['OpenV6', 'open-ingress'], ['Plain', 'unencrypted'], ['Logs', 'unencrypted'], ['Lt', 'unencrypted'], ['Lt', 'secret'],
    ['Key', 'secret'], ['Key', 'unencrypted'], ['Admin', 'wildcard-action'], ['Admin', 'data-action-on-*'], ['KeyPolicy', 'wildcard-action'], ['(template)', 'secret'],
  ])('%s: %s', (resource, rule) => {
    expect(findings).toContainEqual(expect.objectContaining({ resource, rule }));
  });
});

describe('reference templates', () => {
  // The stacks of bin/app.ts without the cdk-nag plugins (app.test.ts runs those): the templates are the same.
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-scan-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  for (const [name, props] of Object.entries(REFERENCE_STACKS)) new DeepSeekReferenceStack(app, name, props);
  const assembly = app.synth();

  test('all four reference stacks are scanned', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(Object.keys(REFERENCE_STACKS).sort());
  });

  test.each(Object.keys(REFERENCE_STACKS))('%s: no secrets, open ingress, unencrypted storage or wildcard data actions', (name) => {
    const template = assembly.getStackByName(name).template as Json;
    expect(scan(template)).toEqual([]);
    // The scan saw what it must judge.
    const types = new Set(Object.values(template.Resources as Record<string, Json>).map((r) => r.Type));
    for (const type of ['AWS::EC2::LaunchTemplate', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::IAM::Policy', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret']) {
      expect([name, type, types.has(type)]).toEqual([name, type, true]);
    }
  });
});
