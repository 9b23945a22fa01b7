/**
 * A rendered API-front config run for real: a stand-in engine that answers every path with
 * `engine <path>` (as vLLM and SGLang answer /metrics or /tokenize), and nginx in front of it on a
 * free local port. Used by the EC2/local, Kubernetes and Azure front tests (gate them with
 * describeWithTool('nginx', …)); each test renders its own config for the two ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** The running pair; `get` sends a request to the front. */
export interface LiveFront {
  get(path: string, authorization?: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export interface LiveFrontOptions {
  /** nginx's prefix directory (`-p`). */
  readonly dir: string;
  /** Writes the config for these ports and returns its path. */
  readonly config: (ports: { readonly listenPort: number; readonly enginePort: number }) => string;
  /** Global directives after `daemon off;` (e.g. a pid file when the config sets none). @default none */
  readonly globals?: string;
  /** The front serves TLS (a throw-away certificate: not verified). @default false */
  readonly https?: boolean;
}

/** Starts the engine and nginx and waits (up to 5 s) until /health answers through the front. */
export async function startLiveFront(options: LiveFrontOptions): Promise<LiveFront> {
  const engine: Server = createServer((req, res) => res.end(`engine ${req.url}`));
  await new Promise<void>((res) => engine.listen(0, '127.0.0.1', res));
  const listenPort = await freePort();
  const conf = options.config({ listenPort, enginePort: (engine.address() as AddressInfo).port });
  const nginx: ChildProcess = spawn('nginx', ['-p', options.dir, '-c', conf, '-g', `daemon off;${options.globals ? ` ${options.globals}` : ''}`], { stdio: 'ignore' });
  const get = (path: string, authorization?: string): Promise<{ status: number; body: string }> => new Promise((res, rej) => {
    const send = options.https ? httpsRequest : httpRequest;
    const req = send({ host: '127.0.0.1', port: listenPort, path, rejectUnauthorized: false, headers: authorization ? { authorization } : {} }, (r) => {
      let body = '';
      r.on('data', (c) => (body += c));
      r.on('end', () => res({ status: r.statusCode!, body }));
    });
    req.on('error', rej);
    req.end();
  });
  for (let i = 0; i < 50; i++) {
    if (await get('/health').then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    get,
    stop: async () => {
      nginx.kill('SIGTERM');
      await new Promise((r) => engine.close(r));
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => res(p));
    });
  });
}
