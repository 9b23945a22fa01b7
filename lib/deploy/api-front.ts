/**
 * The API front: a small nginx in front of the serving engine, so that only the OpenAI-compatible
 * paths (with the API key) and the health path (without it) are reachable. The engine's own key
 * guards `/v1/*` only (vLLM; docs/reference-keys.md, engines §5): `/invocations`, `/tokenize`,
 * `/pooling`, `/score` and `/metrics` answer without it, so the engine listens on loopback only and
 * the front, on the plan's port, is all a client (or the load balancer) reaches.
 *
 * - Image: the official nginx image pinned by tag and digest. The digest is the one public
 *   repositories pin for `nginx:1.27.4-alpine` (several independent Dockerfiles and manifests on
 *   GitHub, found with a code search); it was not re-read from Docker Hub here, so re-check it with
 *   `docker buildx imagetools inspect nginx:1.27.4-alpine` when bumping.
 * - The key reaches nginx as the same environment variable the engine gets (root-only env file on
 *   EC2, the compose environment, the Kubernetes Secret): the image's entrypoint renders every
 *   `/etc/nginx/templates/*.template` with envsubst into `/etc/nginx/conf.d/` before nginx starts,
 *   substituting only variables that are defined
 *   (https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/20-envsubst-on-templates.sh).
 *   The key is never in argv nor in a rendered file outside the container.
 * - The key is compared as a whole `Authorization` header in a `map` with a string key, which nginx
 *   matches exactly (https://nginx.org/en/docs/http/ngx_http_map_module.html: `include` inside `map`,
 *   exact string matching unless the source starts with `~`).
 * - Kubernetes (lib/deploy/kubernetes/api-front.ts) runs the same configuration as a container in
 *   the serving pod, as the image's non-root `nginx` user on a read-only root filesystem; its probes
 *   reach the engine only through the front, so `probedApiFrontSpec` also opens the engine's
 *   readiness path when it differs from the health path (SGLang's `/health_generate`).
 * - Locations: `= <health path>` exact match, `/v1/` prefix, `/` catches the rest (nginx picks an
 *   exact match first, then the longest prefix: https://nginx.org/en/docs/http/ngx_http_core_module.html#location).
 *   nginx matches on the normalised URI (`/v1/../metrics` is `/metrics`), so dot segments cannot
 *   reach the engine's other paths.
 * - Streaming responses (server-sent events) need `proxy_buffering off`; long generations need a
 *   read timeout above nginx's 60 s default (ngx_http_proxy_module docs); prompts can exceed the 1 MB
 *   default body size.
 */
import type { Plan } from '../plan/types';

/** The proxy image: official nginx, tag and digest (see the file comment for the digest's source). */
export const API_FRONT_IMAGE = 'nginx:1.27.4-alpine@sha256:4ff102c5d78d254a6f0da062b3cf39eaf07f01eec0927fd21e219d0af8bc0591';

/** Path of the front's main configuration inside its container (replaces the image's). */
export const API_FRONT_CONFIG_PATH = '/etc/nginx/nginx.conf';

/** Where the key template goes in the container; the image renders it to `/etc/nginx/conf.d/api-key.map`. */
export const API_FRONT_KEY_TEMPLATE_PATH = '/etc/nginx/templates/api-key.map.template';

/** The rendered key map the main configuration includes (inside the container). */
export const API_FRONT_KEY_MAP_PATH = '/etc/nginx/conf.d/api-key.map';

/**
 * User and group id of the image's unprivileged `nginx` account (`addgroup -g 101 -S nginx && adduser -S -D -H -u 101 …`
 * in https://github.com/nginxinc/docker-nginx/blob/master/mainline/alpine-slim/Dockerfile, the base of the alpine
 * images). Kubernetes runs the front as this user: it listens above 1024 and, with the writable
 * directories below, needs nothing of root.
 */
export const API_FRONT_USER_ID = 101;

/**
 * Directories the front writes when its root filesystem is read-only: the image's entrypoint renders
 * the key template into conf.d; nginx keeps request bodies larger than its buffer and proxy temp
 * files under /var/cache/nginx (compiled-in temp paths of the official build); /tmp takes the pid file.
 */
export const API_FRONT_WRITABLE_DIRS = { renderedConfig: '/etc/nginx/conf.d', cache: '/var/cache/nginx', tmp: '/tmp' } as const;

/** Pid file of a front on a read-only root filesystem (inside {@link API_FRONT_WRITABLE_DIRS}.tmp). */
export const API_FRONT_READ_ONLY_PID_PATH = '/tmp/nginx.pid';

/** Largest request body the front passes, MiB (long prompts; nginx's default is 1 MiB). */
export const API_FRONT_MAX_BODY_MIB = 64;

/** How long the front waits between two reads from the engine, seconds (long generations). */
export const API_FRONT_READ_TIMEOUT_SECONDS = 3600;

/** Where the front listens and where it sends admitted requests. */
export interface ApiFrontSpec {
  /** Port the front listens on: the plan's API port, which clients and the load balancer use. */
  readonly listenPort: number;
  /** Loopback address the engine binds. */
  readonly engineHost: string;
  /** Port the engine listens on behind the front. */
  readonly enginePort: number;
  /** The engine's liveness path, passed without the key. */
  readonly healthPath: string;
  /**
   * A second path passed without the key: the engine's readiness check when it differs from the
   * health path (SGLang's `/health_generate`), for orchestrators whose probes must go through the
   * front (Kubernetes: the kubelet reaches the pod's IP, not its loopback).
   * @default none (only the health path is open)
   */
  readonly readinessPath?: string;
  /** Prefix passed only with `Authorization: Bearer <key>`. */
  readonly apiPrefix: '/v1/';
  /** Environment variable that holds the API key (the engine's). */
  readonly apiKeyEnv: string;
  /** Status for paths other than the API and the health path. */
  readonly otherPathStatus: 404;
  /** Status for API requests without the right key. */
  readonly unauthorizedStatus: 401;
}

/**
 * The front of a plan. The engine moves to the next port up: the front takes the plan's port on
 * every interface (including loopback, where the node's watchdog probes it), so the engine cannot
 * keep it when both share the host's network.
 */
export function apiFrontSpec(plan: Plan): ApiFrontSpec {
  const port = plan.serving.port;
  if (port >= 65535) throw new RangeError(`serving port ${port} leaves no port above it for the engine behind the front`);
  return {
    listenPort: port,
    engineHost: '127.0.0.1',
    enginePort: port + 1,
    healthPath: plan.serving.healthPath,
    apiPrefix: '/v1/',
    apiKeyEnv: plan.serving.apiKeyEnv,
    otherPathStatus: 404,
    unauthorizedStatus: 401,
  };
}

/**
 * The front with the engine's readiness path open as well (when it differs from the health path),
 * for Kubernetes, where readiness probes reach the engine only through the front. SGLang's
 * `/health_generate` runs a one-token generation and, like `/health`, is exempt from SGLang's own
 * key check ("Health/metrics endpoints are always allowed … We match them by prefix to cover common
 * variants like /health_generate", `decide_request_auth` in
 * https://github.com/sgl-project/sglang/blob/main/python/sglang/srt/utils/auth.py), so it was
 * reachable without a key before the front too.
 */
export function probedApiFrontSpec(plan: Plan): ApiFrontSpec {
  const spec = apiFrontSpec(plan);
  const readiness = plan.serving.readinessPath;
  return readiness !== spec.healthPath ? { ...spec, readinessPath: readiness } : spec;
}

/** The paths a front passes without the key: the health path and, when set, the readiness path. */
export function apiFrontOpenPaths(spec: ApiFrontSpec): string[] {
  return spec.readinessPath !== undefined && spec.readinessPath !== spec.healthPath ? [spec.healthPath, spec.readinessPath] : [spec.healthPath];
}

/** Options for rendering the configuration (tests point the include at a scratch file). */
export interface ApiFrontConfigOptions {
  /** Path of the rendered key map. @default API_FRONT_KEY_MAP_PATH */
  readonly keyMapPath?: string;
  /**
   * Address the front listens on; a container on the host's network listens on every interface.
   * @default all interfaces
   */
  readonly listenAddress?: string;
  /**
   * Where nginx writes its pid file. A front that runs as a non-root user on a read-only root
   * filesystem cannot write the image's default (/var/run/nginx.pid) and points it at a writable
   * volume instead.
   * @default the image's compiled-in path
   */
  readonly pidPath?: string;
}

/** The key map template: one exact `Authorization` value admitted, rendered by the image's envsubst. */
export function apiFrontKeyTemplate(spec: ApiFrontSpec): string {
  return `"Bearer \${${spec.apiKeyEnv}}" 1;\n`;
}

/** The key map as the template renders it for `key` (tests, and a reader checking the format). */
export function apiFrontKeyMap(key: string): string {
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(key)) throw new Error('API key: only RFC 6750 b64token characters (A-Z a-z 0-9 - . _ ~ + / and trailing =) are allowed');
  return `"Bearer ${key}" 1;\n`;
}

/**
 * The front's nginx.conf. Written compact (no indentation or comments: it travels in EC2 user data,
 * capped at 16 KB); the proxy settings sit at server level, where both proxied locations inherit them.
 */
export function renderApiFrontConfig(spec: ApiFrontSpec, options: ApiFrontConfigOptions = {}): string {
  const upstream = `http://${spec.engineHost}:${spec.enginePort}`;
  const listen = options.listenAddress ? `${options.listenAddress}:${spec.listenPort}` : String(spec.listenPort);
  return [
    ...(options.pidPath ? [`pid ${options.pidPath};`] : []),
    'worker_processes 1;',
    'error_log stderr warn;',
    'events{worker_connections 1024;}',
    'http{',
    'access_log off;',
    'server_tokens off;',
    'map $http_authorization $deepseek_iac_authorized{',
    'default 0;',
    `include ${options.keyMapPath ?? API_FRONT_KEY_MAP_PATH};`,
    '}',
    'server{',
    `listen ${listen};`,
    `client_max_body_size ${API_FRONT_MAX_BODY_MIB}m;`,
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_buffering off;',
    `proxy_read_timeout ${API_FRONT_READ_TIMEOUT_SECONDS}s;`,
    ...apiFrontOpenPaths(spec).map((path) => `location = ${path}{proxy_pass ${upstream};}`),
    `location ${spec.apiPrefix}{`,
    `if ($deepseek_iac_authorized = 0){return ${spec.unauthorizedStatus};}`,
    `proxy_pass ${upstream};`,
    '}',
    `location /{return ${spec.otherPathStatus};}`,
    '}',
    '}',
    '',
  ].join('\n');
}

/**
 * The engine argv with its API socket moved behind the front: the value after `--host` becomes the
 * loopback address and the value after `--port` the engine's port, whether they are argv words
 * (single node) or words of an `sh -c` script (the multi-node head: `ray start … && exec vllm serve …`).
 * Every engine the plans render passes both exactly once (vLLM, SGLang, llama-server); an argv
 * without them is an error, not a silently open engine.
 */
export function bindBehindFront(argv: readonly string[], spec: ApiFrontSpec): string[] {
  const out = [...argv];
  for (const [flag, value] of [['--host', spec.engineHost], ['--port', String(spec.enginePort)]] as const) {
    let found = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] === flag && i + 1 < out.length) {
        out[i + 1] = value;
        found++;
        i++;
        continue;
      }
      const inScript = new RegExp(`(^|\\s)${flag}\\s+[^\\s;&|]+`, 'g');
      out[i] = out[i]!.replace(inScript, (_m, lead: string) => {
        found++;
        return `${lead}${flag} ${value}`;
      });
    }
    if (found !== 1) throw new Error(`engine argv has ${found} ${flag} <value> settings; binding behind the API front needs exactly one`);
  }
  return out;
}
