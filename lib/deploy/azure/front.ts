/**
 * The API front on Azure: the serving rank runs the shared nginx front (lib/deploy/api-front.ts) on
 * the plan's port, the engine listens on loopback one port up, and the internal load balancer's rule
 * and probe target the front. Only `/v1/…` with the key and the health path reach the engine.
 *
 * TLS: when the caller names a Key Vault certificate (`tlsCertificateSecretName`), the node reads the
 * certificate's backing secret (same name) with its managed identity at each engine start into the
 * engine unit's root-only runtime directory, and the front listens with `ssl` on the same port. The
 * certificate must be created with content type `application/x-pem-file`: its secret then holds the
 * private key and the certificate chain in one PEM (Microsoft Learn, "About Azure Key Vault
 * certificates", docs/azure-facts.md §4); nginx reads key and chain from that one file
 * (`ssl_certificate` / `ssl_certificate_key`, https://nginx.org/en/docs/http/ngx_http_ssl_module.html).
 * The load balancer's probe then speaks HTTPS (a Standard load balancer's HTTPS probe does not
 * validate the certificate; docs/azure-facts.md §10). Without a certificate the blueprint warns that
 * the API is served in plain text.
 *
 * This file only adds to the shared front: `renderApiFrontConfig` is used as is and the TLS lines are
 * inserted after its `listen` line.
 */
import type { Plan } from '../../plan/types';
import { API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH, apiFrontKeyTemplate, apiFrontSpec, renderApiFrontConfig, type ApiFrontSpec } from '../api-front';

/** Where the PEM (key + chain) is mounted inside the front's container. */
export const AZURE_FRONT_TLS_PATH = '/etc/nginx/tls/tls.pem';

/** TLS versions the front accepts (nginx `ssl_protocols`). */
export const AZURE_FRONT_TLS_PROTOCOLS = ['TLSv1.2', 'TLSv1.3'] as const;

/** systemd unit and container name of the front on an Azure node. */
export const AZURE_FRONT_UNIT = 'deepseek-front';

/** The front of a plan on Azure, as the blueprint records it. */
export interface AzureFrontSpec {
  readonly image: string;
  /** The plan's port: clients, the load balancer rule and its probe use it. */
  readonly listenPort: number;
  /** Loopback port of the engine behind the front. */
  readonly enginePort: number;
  readonly engineHost: string;
  readonly healthPath: string;
  /** Key Vault certificate (its backing secret) the front serves TLS with, if any. */
  readonly tlsCertificateSecretName?: string;
  /** `https` with a certificate, else `http`. */
  readonly scheme: 'http' | 'https';
}

/** The Azure front of `plan`, with TLS when a certificate secret is named. */
export function azureFront(plan: Plan, tlsCertificateSecretName?: string): AzureFrontSpec {
  const f = apiFrontSpec(plan);
  return {
    image: API_FRONT_IMAGE, listenPort: f.listenPort, enginePort: f.enginePort, engineHost: f.engineHost, healthPath: f.healthPath,
    ...(tlsCertificateSecretName !== undefined ? { tlsCertificateSecretName } : {}),
    scheme: tlsCertificateSecretName !== undefined ? 'https' : 'http',
  };
}

/**
 * The front's nginx.conf: the shared configuration, and with `tls` the `listen` line gains `ssl`
 * followed by the certificate, key and protocol lines.
 * @throws Error when the shared configuration has no `listen <port>;` line to extend
 */
export function renderAzureFrontConfig(spec: ApiFrontSpec, tls: boolean, options: { readonly keyMapPath?: string; readonly tlsPath?: string } = {}): string {
  const base = renderApiFrontConfig(spec, options.keyMapPath !== undefined ? { keyMapPath: options.keyMapPath } : {});
  if (!tls) return base;
  const listen = `listen ${spec.listenPort};`;
  if (base.split('\n').filter((l) => l === listen).length !== 1) throw new Error(`the front configuration has no single "${listen}" line`);
  const pem = options.tlsPath ?? AZURE_FRONT_TLS_PATH;
  return base.replace(listen, [
    `listen ${spec.listenPort} ssl;`,
    `ssl_certificate ${pem};`,
    `ssl_certificate_key ${pem};`,
    `ssl_protocols ${AZURE_FRONT_TLS_PROTOCOLS.join(' ')};`,
  ].join('\n'));
}

/** The key map template of the shared front (the engine's key variable, rendered by the image's envsubst). */
export function azureFrontKeyTemplate(plan: Plan): string {
  return apiFrontKeyTemplate(apiFrontSpec(plan));
}

/** Paths inside the front's container (re-exported for the boot script). */
export const AZURE_FRONT_PATHS = { config: API_FRONT_CONFIG_PATH, keyTemplate: API_FRONT_KEY_TEMPLATE_PATH, tls: AZURE_FRONT_TLS_PATH } as const;

