/**
 * nginx's configuration grammar, reduced to what the API front uses, and the front's routing
 * evaluated with nginx's documented location rules (exact `=` match first, then the longest prefix:
 * https://nginx.org/en/docs/http/ngx_http_core_module.html#location; `map` with exact string keys:
 * https://nginx.org/en/docs/http/ngx_http_map_module.html). Shared by the EC2/local front tests
 * (test/deploy/api-front.test.ts) and the Kubernetes ones (test/deploy/kubernetes/front.test.ts).
 */
/** A directive: `name args;` or `name args { … }`. */
export interface Directive {
  readonly name: string;
  readonly args: string[];
  readonly block?: Directive[];
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([{};])|([^\s{};"]+)/g;
  for (const m of text.replace(/#[^\n]*/g, '').matchAll(re)) out.push(m[1] !== undefined ? m[1] : (m[2] ?? m[3])!);
  return out;
}

export function parse(text: string): Directive[] {
  const tokens = tokenize(text);
  let i = 0;
  const block = (): Directive[] => {
    const list: Directive[] = [];
    while (i < tokens.length && tokens[i] !== '}') {
      const name = tokens[i++]!;
      const args: string[] = [];
      while (tokens[i] !== ';' && tokens[i] !== '{') args.push(tokens[i++]!);
      if (tokens[i++] === '{') {
        const inner = block();
        expect(tokens[i++]).toBe('}');
        list.push({ name, args, block: inner });
      } else list.push({ name, args });
    }
    return list;
  };
  return block();
}

export const find = (list: readonly Directive[], name: string): Directive[] => list.filter((d) => d.name === name);

/** What the front does with a request: proxy it to the engine, or answer with a status. */
export type Outcome = { proxy: string } | { status: number };

/** Evaluate the config for one request, the key map included from `keyMap`. */
export function route(config: string, keyMap: string, path: string, authorization?: string): Outcome {
  const http = find(parse(config), 'http')[0]!.block!;
  const map = find(http, 'map')[0]!;
  expect(map.args).toEqual(['$http_authorization', '$deepseek_iac_authorized']);
  const entries = [...map.block!.filter((d) => d.name !== 'include'), ...parse(keyMap)];
  const byValue = new Map(entries.filter((d) => d.name !== 'default').map((d) => [d.name, d.args[0]]));
  const authorized = (authorization !== undefined ? byValue.get(authorization) : undefined) ?? find(entries, 'default')[0]!.args[0];
  const server = find(http, 'server')[0]!.block!;
  const locations = find(server, 'location');
  const exact = locations.find((l) => l.args[0] === '=' && l.args[1] === path);
  const prefix = locations.filter((l) => l.args.length === 1 && path.startsWith(l.args[0]!)).sort((a, b) => b.args[0]!.length - a.args[0]!.length)[0];
  const loc = exact ?? prefix;
  if (!loc) throw new Error(`no location for ${path}`);
  for (const d of loc.block!) {
    if (d.name === 'if') {
      expect(d.args).toEqual(['($deepseek_iac_authorized', '=', '0)']);
      if (authorized === '0') return { status: Number(find(d.block!, 'return')[0]!.args[0]) };
    } else if (d.name === 'return') return { status: Number(d.args[0]) };
    else if (d.name === 'proxy_pass') return { proxy: d.args[0]! };
  }
  throw new Error(`location ${loc.args.join(' ')} neither returns nor proxies`);
}
