/**
 * examples/cdktf/main.ts synthesizes offline into a given directory, with a relative local backend
 * (no absolute path of this machine in the JSON) and the cluster's outputs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../examples/cdktf/main';

test('the cdktf example writes Terraform JSON with a relative state path and the API outputs', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-iac-cdktf-'));
  try {
    buildApp(outdir, { VPC_ID: 'vpc-0example', SUBNET_IDS: 'subnet-a,subnet-b', ALLOWED_CIDR: '10.1.0.0/16', AWS_REGION: 'eu-west-1' });
    const file = join(outdir, 'stacks', 'deepseek-r1-distill', 'cdk.tf.json');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    expect(json.provider.aws).toEqual([expect.objectContaining({ region: 'eu-west-1' })]);
    expect(Object.keys(json.output).sort()).toEqual(['api_key_secret_arn', 'api_url', 'hourly_cost_usd', 'plan']);
    expect(Object.values<any>(json.resource.aws_lb)[0]).toMatchObject({ internal: true, subnets: ['subnet-a', 'subnet-b'] });
    expect(text).not.toContain(outdir);
    expect(text).not.toContain(process.cwd());
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
