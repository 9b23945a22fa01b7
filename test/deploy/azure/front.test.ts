/**
 * The Azure API front (lib/deploy/azure/front.ts): without TLS it is the shared front's configuration
 * unchanged; with TLS only the listen line changes (ssl, the PEM from Key Vault as key and chain,
 * TLS 1.2/1.3). nginx accepts it (`nginx -t`), and a live run with a throw-away self-signed
 * certificate serves /v1 with the key and the health path over HTTPS, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDeployment } from '../../../lib/plan/planner';
import { apiFrontKeyMap, apiFrontSpec, renderApiFrontConfig, type ApiFrontSpec } from '../../../lib/deploy/api-front';
import { renderAzureFrontConfig } from '../../../lib/deploy/azure';
import { describeWithTool, runTool } from '../../helpers/tools';
import { startLiveFront, type LiveFront } from '../../helpers/live-front';

const plan = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], maxNodes: 1 });
const KEY = 'sk-front-test-0123456789';

describe('configuration', () => {
  test('without TLS: the shared front, byte for byte', () => {
    expect(renderAzureFrontConfig(apiFrontSpec(plan), false)).toBe(renderApiFrontConfig(apiFrontSpec(plan)));
  });

  test('with TLS: only the listen line changes', () => {
    const spec = apiFrontSpec(plan);
    const plain = renderApiFrontConfig(spec).split('\n');
    const tls = renderAzureFrontConfig(spec, true).split('\n');
    const at = plain.indexOf(`listen ${spec.listenPort};`);
    expect(tls.slice(0, at)).toEqual(plain.slice(0, at));
    expect(tls.slice(at, at + 4)).toEqual([
      `listen ${spec.listenPort} ssl;`,
      'ssl_certificate /etc/nginx/tls/tls.pem;',
      'ssl_certificate_key /etc/nginx/tls/tls.pem;',
      'ssl_protocols TLSv1.2 TLSv1.3;',
    ]);
    expect(tls.slice(at + 4)).toEqual(plain.slice(at + 1));
  });
});

/** A self-signed key and certificate in one PEM, as a Key Vault PEM certificate's secret holds them; undefined without openssl. */
function selfSignedPem(dir: string): string | undefined {
  const key = join(dir, 'key.pem');
  const crt = join(dir, 'crt.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const pem = join(dir, 'tls.pem');
  writeFileSync(pem, `${readFileSync(key, 'utf8')}${readFileSync(crt, 'utf8')}`);
  return pem;
}

describeWithTool('nginx', 'nginx -t and a live HTTPS run of the Azure API front')('nginx serves the TLS front', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepseek-azure-front-'));
  const pem = selfSignedPem(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // openssl makes the throw-away certificate; without it there is nothing to serve TLS with.
  const withCert = pem ? test : test.skip;

  const write = (spec: ApiFrontSpec): string => {
    writeFileSync(join(dir, 'api-key.map'), apiFrontKeyMap(KEY));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, renderAzureFrontConfig(spec, true, { keyMapPath: join(dir, 'api-key.map'), tlsPath: pem! }));
    return conf;
  };

  withCert('nginx -t', () => {
    const r = runTool('nginx', ['-t', '-p', dir, '-c', write(apiFrontSpec(plan)), '-g', `pid ${join(dir, 'nginx.pid')};`]);
    expect(r.stderr).toContain('test is successful');
    expect(r.status).toBe(0);
  });

  describe('live', () => {
    let front: LiveFront | undefined;
    beforeAll(async () => {
      if (!pem) return;
      front = await startLiveFront({
        dir, https: true, globals: `pid ${join(dir, 'live.pid')};`,
        config: ({ listenPort, enginePort }) => write({ ...apiFrontSpec(plan), listenPort, enginePort }),
      });
    });
    afterAll(() => front?.stop());

    withCert.each([
      ['/v1/chat/completions', `Bearer ${KEY}`, 200],
      ['/health', undefined, 200],
      ['/v1/chat/completions', undefined, 401],
      ['/metrics', `Bearer ${KEY}`, 404],
      ['/invocations', `Bearer ${KEY}`, 404],
    ] as [string, string | undefined, number][])('https %s with %s → %d', async (path, auth, status) => {
      const r = await front!.get(path, auth);
      expect(r.status).toBe(status);
      if (status === 200) expect(r.body).toBe(`engine ${path}`);
      else expect(r.body).not.toContain('engine');
    });
  });
});
