/**
 * Checks for strings that end up in a shell script, a systemd unit, a compose file or Kubernetes
 * YAML, or that name a file under a folder. Each returns a message (what is wrong, what is allowed)
 * or undefined when the value is safe; callers attach the field path.
 *
 * The rules are allow-lists, not escape lists: a value that passes needs no quoting to stay one
 * word in bash, one systemd word, one compose interpolation default and one YAML scalar, so a
 * renderer that forgets to quote cannot be turned into an injection.
 */

/** Characters allowed in a host path: letters, digits and `_ . @ + - /` (no space, quote, `$`, backtick, `:`, `%`, `{}`). */
export const SAFE_PATH_PATTERN = /^[A-Za-z0-9_.@+/-]+$/;
/** A DNS-1123 label: what Kubernetes accepts for object names, and a safe unit/container name. */
export const DNS1123_LABEL_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (StorageClass names): labels joined by dots, at most 253 characters. */
export const DNS1123_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A catalog id or a Hugging Face repository id (`org/name`): HF allows `[A-Za-z0-9._-]` in each part. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
/** Cloud instance type names: `p5.48xlarge`, `p6-b200.48xlarge`, `Standard_ND96isr_H100_v5`. */
export const INSTANCE_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

const MAX_PATH_CHARS = 1024;

const show = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);

/** Segments of a `/`-separated path that climb out (`..`) or stand for the folder itself (`.`). */
function escapingSegment(path: string): boolean {
  return path.split('/').some((s) => s === '..' || s === '.');
}

/** An absolute host path safe to place unquoted in bash, systemd and compose: `/srv/models`. */
export function absolutePathProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > MAX_PATH_CHARS) return `must be at most ${MAX_PATH_CHARS} characters`;
  if (!value.startsWith('/')) return `${show(value)} must be an absolute path (start with /)`;
  if (!SAFE_PATH_PATTERN.test(value)) {
    return `${show(value)} may contain only letters, digits and _ . @ + - / (no spaces, quotes, $, backticks, colons or control characters)`;
  }
  if (escapingSegment(value)) return `${show(value)} must not contain "." or ".." segments`;
  return undefined;
}

/**
 * A file name or relative path that stays inside its folder (`model-Q4_K_M.gguf`, `q4/part-1.gguf`),
 * or an absolute path with the same characters and no `..`.
 */
export function containedPathProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > MAX_PATH_CHARS) return `must be at most ${MAX_PATH_CHARS} characters`;
  if (!SAFE_PATH_PATTERN.test(value)) {
    return `${show(value)} may contain only letters, digits and _ . @ + - / (no spaces, quotes, $, backticks or control characters)`;
  }
  if (escapingSegment(value.replace(/^\/+/, ''))) return `${show(value)} must not contain "." or ".." segments (the path must stay inside the models folder)`;
  if (value.endsWith('/')) return `${show(value)} names a folder, not a file`;
  return undefined;
}

/** A catalog id or Hugging Face id that cannot climb out of the models folder it names. */
export function modelIdProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 200) return 'must be at most 200 characters';
  if (!MODEL_ID_PATTERN.test(value)) {
    return `${show(value)} must be a catalog id (deepseek-r1) or a Hugging Face id (org/name) of letters, digits and . _ -`;
  }
  if (value.split('/').some((s) => /^\.+$/.test(s))) return `${show(value)} must not have "." or ".." as a part`;
  return undefined;
}

/** A Kubernetes object / systemd unit / container base name. */
export function resourceNameProblem(value: string): string | undefined {
  if (value.length > 50) return `${show(value)} must be at most 50 characters (room for suffixes like -weights)`;
  if (!DNS1123_LABEL_PATTERN.test(value)) {
    return `${show(value)} must be lowercase letters, digits and -, starting with a letter and ending with a letter or digit`;
  }
  return undefined;
}

/** A Kubernetes StorageClass name. */
export function storageClassProblem(value: string): string | undefined {
  if (value.length > 253 || !DNS1123_SUBDOMAIN_PATTERN.test(value)) {
    return `${show(value)} must be a Kubernetes object name: lowercase letters, digits, - and ., at most 253 characters`;
  }
  return undefined;
}

/** An IPv4 address (`127.0.0.1`, `0.0.0.0`, `10.0.0.5`): where a local API port is published. */
export function ipv4AddressProblem(value: string): string | undefined {
  const parts = value.split('.');
  const ok = parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
  return ok ? undefined : `${show(value)} must be an IPv4 address such as 127.0.0.1 (this host only) or 0.0.0.0 (every interface)`;
}

/** An instance type used as a map key (price overrides): refuses `__proto__` and friends by pattern. */
export function instanceTypeProblem(value: string): string | undefined {
  if (value.length > 64 || !INSTANCE_TYPE_PATTERN.test(value) || value === '__proto__' || value === 'constructor' || value === 'prototype') {
    return `${show(value)} is not an instance type name (letters, digits, . _ -, e.g. p5.48xlarge)`;
  }
  return undefined;
}
