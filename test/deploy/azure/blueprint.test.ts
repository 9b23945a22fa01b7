/**
 * The Azure blueprint (lib/deploy/azure): image per GPU vendor, disks from the checkpoint, address
 * plan and NSG rules, identity scope, InfiniBand settings for multi-node, and every input problem
 * reported at once. Numbers are worked out next to each assertion.
 */
import { planDeployment } from '../../../lib/plan/planner';
import { isPlanError } from '../../../lib/errors';
import {
  addressPlan, admitsInternet, azureAlerts, azureBlueprint, azureBlueprintIssues, isoMinutes, keyVaultName, NDV5_TOPOLOGY_FILE, planAzure,
  type AzureBlueprintOptions, type NsgRuleSpec,
} from '../../../lib/deploy/azure';
import type { Issue } from '../../../lib/types';

const r1Mi300x = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['mi300x'], engine: 'sglang', maxNodes: 1 });
const r1H200 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], maxNodes: 1 });
const v3Bf16H200 = planDeployment({ model: 'deepseek-v3', precision: 'bf16', target: 'azure', gpus: ['h200'], dataParallelSize: 1 });
const OPTIONS: AzureBlueprintOptions = { clusterName: 'bp-test', allowedCidrs: ['10.1.0.0/16'] };

describe('reference plans on Azure', () => {
  test.each([
    // 671 B parameters × 1 byte (FP8) ≈ 671 GB + block scales; 8 × 192 GiB = 1649 GB holds it, and Azure sells
    // MI300X only as the 8-GPU ND96isr_MI300X_v5 (Azure size table in lib/catalog/instances.ts): one VM.
    ['R1 FP8 on MI300X', r1Mi300x, 'Standard_ND96isr_MI300X_v5', 1],
    // 8 × 141 GB H200 = 1128 GB ≥ ~688 GB of FP8 weights; 4 GPUs (564 GB) would not hold them.
    ['R1 FP8 on H200', r1H200, 'Standard_ND96isr_H200_v5', 1],
    // 671 B × 2 bytes = 1342 GB > 1128 GB of one 8 × H200 VM, ≤ 2256 GB of two.
    ['V3 BF16 on H200', v3Bf16H200, 'Standard_ND96isr_H200_v5', 2],
  ])('%s: %s × %i', (_name, plan, size, nodes) => {
    const bp = azureBlueprint(plan, OPTIONS);
    expect(bp.vmSize).toBe(size);
    expect(bp.nodes).toBe(nodes);
    expect(bp.vms).toHaveLength(nodes);
    // Disk ≥ 500 GiB and ≥ the checkpoint in bytes.
    expect(bp.dataDisk.sizeGiB).toBeGreaterThanOrEqual(500);
    expect(bp.dataDisk.sizeGiB * 2 ** 30).toBeGreaterThanOrEqual(plan.storage.checkpointBytes);
  });
});

describe('OS image follows the GPU vendor', () => {
  test('ROCm Ubuntu-HPC for MI300X, CUDA Ubuntu-HPC for H200', () => {
    expect(azureBlueprint(r1Mi300x, OPTIONS).osImage.reference).toEqual({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204-rocm', version: 'latest' });
    expect(azureBlueprint(r1H200, OPTIONS).osImage.reference).toEqual({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' });
  });
});

describe('load cache', () => {
  test('the local NVMe holds the checkpoint on both sizes, so the engine loads from it', () => {
    // MI300X v5: 1000 GiB local = 1074 GB ≥ 688 GB; H200 v5: 28000 GiB ≥ 688 GB.
    expect(azureBlueprint(r1Mi300x, OPTIONS).loadCache.kind).toBe('local-nvme');
    expect(azureBlueprint(r1H200, OPTIONS).vms[0].customData).toContain("readonly NVME_CACHE=1");
  });
});

describe('address plan', () => {
  test('first /24 of the VNet; LB at .4, ranks from .10', () => {
    expect(addressPlan('10.42.0.0/16', 2, [])).toEqual({ vnetCidr: '10.42.0.0/16', subnetCidr: '10.42.0.0/24', loadBalancerIp: '10.42.0.4', nodeIps: ['10.42.0.10', '10.42.0.11'] });
    // A host address inside the range is normalized to the network address.
    expect(addressPlan('172.16.5.7/20', 1, [])!.subnetCidr).toBe('172.16.0.0/24');
  });
  test.each([['10.0.0.0/25', 'smaller than'], ['10.0.0.300/16', 'not an IPv4 CIDR'], ['fd00::/8', 'not an IPv4 CIDR']])('%s is refused', (cidr, text) => {
    const issues: Issue[] = [];
    expect(addressPlan(cidr, 1, issues)).toBeUndefined();
    expect(issues[0].path).toBe('vnetCidr');
    expect(issues[0].message).toContain(text);
  });
});

describe('NSG rules', () => {
  const port = r1H200.serving.port;
  test('API port from the allowed peers and the probe only, explicit deny of the rest', () => {
    const rules = azureBlueprint(r1H200, OPTIONS).network.nsgRules;
    expect(rules.map((r) => [r.name, r.access, r.sourceAddressPrefixes, r.destinationPortRange])).toEqual([
      ['api-from-allowed-peers', 'Allow', ['10.1.0.0/16'], String(port)],
      ['api-from-load-balancer-probe', 'Allow', ['AzureLoadBalancer'], String(port)],
      ['deny-all-other-inbound', 'Deny', ['*'], '*'],
    ]);
    expect(rules.some((r) => admitsInternet(r, port))).toBe(false);
  });
  test('multi-node adds all traffic between the nodes\' own addresses', () => {
    const rule = azureBlueprint(v3Bf16H200, OPTIONS).network.nsgRules.find((r) => r.name === 'all-between-nodes');
    expect(rule?.sourceAddressPrefixes).toEqual(['10.42.0.10/32', '10.42.0.11/32']);
  });
  test('admitsInternet recognizes open rules', () => {
    const open: NsgRuleSpec = { name: 'x', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefixes: ['Internet'], sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '8000-8100', description: 'test' };
    expect(admitsInternet(open, 8000)).toBe(true);
    expect(admitsInternet({ ...open, destinationPortRange: '22' }, 8000)).toBe(false);
    expect(admitsInternet({ ...open, access: 'Deny' }, 8000)).toBe(false);
  });
  test('0.0.0.0/0 needs allowPublicIngress', () => {
    expect(azureBlueprintIssues(r1H200, { ...OPTIONS, allowedCidrs: ['0.0.0.0/0'] })).toEqual([expect.objectContaining({ path: 'allowedCidrs[0]' })]);
    expect(azureBlueprintIssues(r1H200, { ...OPTIONS, allowedCidrs: ['0.0.0.0/0'], allowPublicIngress: true })).toEqual([]);
  });
});

describe('identity and vault', () => {
  test('one role: Key Vault Secrets User (built-in id 4633458b-…) on the cluster vault', () => {
    const bp = azureBlueprint(r1H200, OPTIONS);
    expect(bp.identity.roleAssignments).toEqual([expect.objectContaining({ roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6', scope: 'keyVault' })]);
    expect(bp.keyVault).toMatchObject({ enableRbacAuthorization: true, purgeProtectionEnabled: true, networkAcls: { defaultAction: 'Deny' } });
  });
  test('default vault name: 3–24 characters, starts with a letter, no double hyphen, stable', () => {
    for (const name of ['a', 'bp-test', 'a-very-long-cluster-name-of-forty-chars1']) {
      const v = keyVaultName(name);
      expect(v).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
      expect(v).not.toContain('--');
      expect(keyVaultName(name)).toBe(v);
    }
    expect(keyVaultName('x1')).not.toBe(keyVaultName('x2'));
    // The adapters hash the resource group in: the same cluster name in another group gets another vault.
    expect(keyVaultName('x1', 'rg-a')).not.toBe(keyVaultName('x1', 'rg-b'));
  });
});

describe('InfiniBand for multi-node', () => {
  test('NCCL over the mlx5 HCAs with the ND v5 topology file mounted', () => {
    const bp = azureBlueprint(v3Bf16H200, OPTIONS);
    expect(bp.fabric.env).toEqual({ NCCL_IB_HCA: 'mlx5', NCCL_SOCKET_IFNAME: 'eth0', GLOO_SOCKET_IFNAME: 'eth0', NCCL_TOPO_FILE: NDV5_TOPOLOGY_FILE });
    expect(bp.placement).toMatchObject({ kind: 'availability-set', proximityPlacementGroup: true });
    // The EFA-oriented NCCL_SOCKET_IFNAME=^lo,docker0 of the AWS launch is replaced, not duplicated.
    const script = bp.vms[1].customData;
    expect(script).toContain('\n  NCCL_SOCKET_IFNAME=eth0\n');
    expect(script).not.toContain('^lo,docker0');
    expect(script).toContain("readonly HEAD_ADDR_STATIC=10.42.0.10");
  });
  test('one node needs no fabric and no placement group', () => {
    const bp = azureBlueprint(r1Mi300x, OPTIONS);
    expect(bp.fabric.kind).toBe('none');
    expect(bp.placement).toEqual({ kind: 'single-vm', proximityPlacementGroup: false });
  });
});

describe('problems are collected', () => {
  test('an AWS plan, an S3 source, an empty peer list and a bad retention at once', () => {
    const aws = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    const issues = azureBlueprintIssues(aws, { clusterName: 'x', allowedCidrs: [], modelSource: 's3://b/p', logRetentionDays: 7 });
    expect(issues.map((i) => i.path).sort()).toEqual(['allowedCidrs', 'logRetentionDays', 'modelSource', 'target']);
  });
  test('planAzure adds the missing placement inputs to the planner\'s issues', () => {
    const r = planAzure({ model: 'deepseek-r1', gpus: ['a10g'], resourceGroupName: '', location: 'eastus', adminSshPublicKey: 'nope', allowedCidrs: ['10.0.0.0/8'] }, 'x');
    expect('issues' in r).toBe(true);
    const paths = 'issues' in r ? r.issues.map((i) => i.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['resourceGroupName', 'adminSshPublicKey']));
    expect(paths.length).toBeGreaterThan(2);
  });
  test('azureBlueprint throws a PlanError', () => {
    expect.assertions(1);
    try {
      azureBlueprint(r1H200, { ...OPTIONS, clusterName: 'bad name' });
    } catch (e) {
      expect(isPlanError(e) && e.issues[0].path).toBe('clusterName');
    }
  });
});

describe('the ND v5 topology file is for ND H100/H200 v5 only', () => {
  test('ND A100 v4 over InfiniBand gets no NCCL_TOPO_FILE', () => {
    // A 70B distill pinned to two ND A100 v4 VMs (nodes: 2): InfiniBand, but not the ND v5 layout.
    const plan = planDeployment({ model: 'deepseek-r1-distill-llama-70b', target: 'azure', gpus: ['a100-40gb'], nodes: 2 });
    const fabric = azureBlueprint(plan, OPTIONS).fabric;
    expect(fabric.kind).toBe('infiniband');
    expect(fabric.env).not.toHaveProperty('NCCL_TOPO_FILE');
    expect(fabric.dockerOptions).toEqual([]);
  });
});

test('summary line: size, GPUs, engine, disk and price as planned', () => {
  // R1 FP8 checkpoint 688.5 GB (plan.storage) on the plan's Premium SSD; MI300X at the catalog's $48/h (8 × $6, third-party).
  expect(azureBlueprint(r1Mi300x, OPTIONS).summary).toBe(
    `deepseek-r1 fp8: 1 × Standard_ND96isr_MI300X_v5 (8 × mi300x, TP 8 PP 1), sglang, weights ${(r1Mi300x.storage.checkpointBytes / 1e9).toFixed(1)} GB on ${r1Mi300x.storage.volumeGiB} GiB Premium SSD, $48.00/h`,
  );
  expect(azureBlueprint(v3Bf16H200, OPTIONS).summary).toMatch(/^deepseek-v3 bf16: 2 × Standard_ND96isr_H200_v5 \(8 × h200, TP 8 PP 2, infiniband\), vllm, .*, unpriced$/);
});

describe('Grace (arm64) sizes: ND GB200 v6', () => {
  // R1 FP8 ≈ 688 GB ≤ 4 × 192 GB = 768 GB of one ND GB200 v6 VM (Microsoft Learn nd-gb200-v6-series).
  const r1Gb200 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['gb200'], maxNodes: 1 });
  const IMAGE = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/hpc/images/ubuntu-2404-gb200/versions/1.0.0';

  test('the plan is arm64 on Standard_ND128isr_NDR_GB200_v6 with the arm64 engine image', () => {
    expect(r1Gb200.topology.instanceType).toBe('Standard_ND128isr_NDR_GB200_v6');
    expect(r1Gb200.topology.cpuArchitecture).toBe('arm64');
    expect(r1Gb200.serving.image).toMatch(/aarch64|arm64/);
  });

  test('without a gallery image it is refused, naming how to build one', () => {
    expect(azureBlueprintIssues(r1Gb200, OPTIONS)).toEqual([expect.objectContaining({ path: 'osImageId', message: expect.stringContaining('github.com/Azure/azhpc-images') })]);
  });

  test('a malformed image id is refused', () => {
    expect(azureBlueprintIssues(r1Gb200, { ...OPTIONS, osImageId: 'ubuntu-gb200' })).toEqual([expect.objectContaining({ path: 'osImageId', message: expect.stringContaining('not an Azure Compute Gallery image id') })]);
  });

  test('with a gallery image: that image, arm64, and a boot script that checks for aarch64 and 4 GPUs', () => {
    const bp = azureBlueprint(r1Gb200, { ...OPTIONS, osImageId: IMAGE });
    expect(bp.osImage).toMatchObject({ imageId: IMAGE, architecture: 'arm64', driverStack: 'cuda' });
    expect(bp.osImage.reference).toBeUndefined();
    expect(bp.decisions.find((d) => d.field === 'azure.osImage')?.value).toBe(IMAGE);
    expect(bp.vms[0].customData).toContain('readonly EXPECTED_MACHINE=aarch64');
    expect(bp.vms[0].customData).toContain('readonly EXPECTED_GPUS=4');
    expect(bp.vms[0].customData).toMatch(/\n {2}check_arch\n/);
  });

  test('x86_64 plans keep their marketplace image and check for x86_64', () => {
    const bp = azureBlueprint(r1H200, OPTIONS);
    expect(bp.osImage.architecture).toBe('x86_64');
    expect(bp.vms[0].customData).toContain('readonly EXPECTED_MACHINE=x86_64');
  });
});

describe('API front and TLS', () => {
  test('without a certificate: HTTP probe on the plan\'s port, a warning that the API is not encrypted', () => {
    const bp = azureBlueprint(r1H200, OPTIONS);
    expect(bp.front).toMatchObject({ listenPort: r1H200.serving.port, enginePort: r1H200.serving.port + 1, engineHost: '127.0.0.1', scheme: 'http' });
    expect(bp.loadBalancer.probe).toMatchObject({ protocol: 'Http', port: r1H200.serving.port, requestPath: r1H200.serving.healthPath });
    expect(bp.warnings.find((w) => w.code === 'DSIAC-AZ2')?.message).toContain('without TLS');
  });

  test('with a Key Vault certificate: HTTPS probe, TLS front, no warning', () => {
    const bp = azureBlueprint(r1H200, { ...OPTIONS, tlsCertificateSecretName: 'api-tls' });
    expect(bp.front.scheme).toBe('https');
    expect(bp.loadBalancer.probe.protocol).toBe('Https');
    expect(bp.warnings.map((w) => w.code)).not.toContain('DSIAC-AZ2');
    expect(bp.vms[0].customData).toContain('readonly TLS_CERT_SECRET=api-tls');
  });

  test('a certificate name that is no Key Vault name is refused', () => {
    expect(azureBlueprintIssues(r1H200, { ...OPTIONS, tlsCertificateSecretName: 'api tls' })).toEqual([expect.objectContaining({ path: 'tlsCertificateSecretName' })]);
  });
});

describe('alerts', () => {
  test('an e-mail action group only when addresses are given; bad addresses are refused', () => {
    expect(azureBlueprint(r1H200, OPTIONS).alerts.actionGroup).toBeUndefined();
    expect(azureBlueprint(r1H200, { ...OPTIONS, alertEmails: ['ops@example.com'] }).alerts.actionGroup).toEqual({ shortName: 'bptest', emails: ['ops@example.com'] });
    expect(azureBlueprintIssues(r1H200, { ...OPTIONS, alertEmails: ['ops@example.com', 'nobody'] })).toEqual([expect.objectContaining({ path: 'alertEmails[1]' })]);
  });

  test.each([
    // A restart grace of 7 minutes fits the 10-minute window; > 80 % of its 10 one-a-minute lines = 8.
    [7, 'PT10M', 8],
    // 31 minutes needs the 45-minute window: floor(45 × 0.8) = 36.
    [31, 'PT45M', 36],
    // 100 minutes: 2 h window, floor(120 × 0.8) = 96.
    [100, 'PT2H', 96],
  ])('engine alert: a %i-minute restart grace → window %s, threshold %i', (grace, window, threshold) => {
    const engine = azureAlerts('c', ['c-rank0'], grace).logAlerts.find((a) => a.name === 'engine-unhealthy')!;
    expect(engine.windowSize).toBe(window);
    expect(engine.threshold).toBe(threshold);
  });

  test('ISO durations', () => {
    expect([isoMinutes(5), isoMinutes(60), isoMinutes(180), isoMinutes(1440), isoMinutes(2880)]).toEqual(['PT5M', 'PT1H', 'PT3H', 'P1D', 'P2D']);
  });

  test('the silent-node query lists every VM by name', () => {
    const bp = azureBlueprint(v3Bf16H200, OPTIONS);
    const q = bp.alerts.logAlerts.find((a) => a.name === 'node-silent')!.query;
    expect(q).toBe(`datatable(Computer:string)["bp-test-rank0", "bp-test-rank1"] | join kind=leftanti (Syslog | where TimeGenerated > ago(10m) and ProcessName == "deepseek-health" | distinct Computer) on Computer`);
  });
});
