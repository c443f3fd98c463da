import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Finds `openapi/openapi.yaml` from the running file, both under ts-node (src/) and built (dist/src/). */
export function openApiPath(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'openapi', 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`openapi/openapi.yaml not found above ${from}`);
    dir = parent;
  }
}

let cached: Record<string, unknown> | undefined;

export function loadOpenApiDocument(): Record<string, unknown> {
  cached ??= readOpenApiDocument(openApiPath());
  return structuredClone(cached);
}

/**
 * Parsing the YAML was a sixth of the start-up, so `npm run openapi:types` also writes it parsed
 * (openapi.parsed.json, written by `npm run build`). That copy is used only while it names
 * the hash of the YAML beside it; an edited YAML without a regenerated copy is parsed as before.
 */
export function readOpenApiDocument(yamlPath: string): Record<string, unknown> {
  const source = readFileSync(yamlPath);
  const parsed = readParsedCopy(join(dirname(yamlPath), 'openapi.parsed.json'));
  if (parsed !== undefined && parsed.source_sha256 === createHash('sha256').update(source).digest('hex')) return parsed.document;
  // Loaded only here: the module itself cost tens of milliseconds of every start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(source.toString('utf8')) as Record<string, unknown>;
}

function readParsedCopy(path: string): { source_sha256: string; document: Record<string, unknown> } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { source_sha256: string; document: Record<string, unknown> };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The built web UI (web/dist), found like the OpenAPI document; undefined when it was not built. */
export function webDistPath(from: string = __dirname): string | undefined {
  const root = dirname(openApiPath(from));
  const candidate = join(root, '..', 'web', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

const AUTH_HEADER = 'x-authorization';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The document as the interactive docs (/docs) show it. The contract declares `X-Authorization` as a
 * required header parameter of each operation, which Swagger UI would ask for on every call; here the
 * header is carried by the `XAuthorization` security scheme instead, so one token entered under
 * "Authorize" serves every "Try it out". `servers` is the configured public URL when there is one
 * (else the document's own relative `/`: the page's origin, whatever host or port that is).
 */
export function interactiveDocument(document: Json, publicUrl?: string): Json {
  const copy = structuredClone(document);
  if (publicUrl !== undefined) copy.servers = [{ url: publicUrl, description: 'This registry (TMR_PUBLIC_URL).' }];
  const parameters = isObject(copy.components) && isObject(copy.components.parameters) ? copy.components.parameters : {};
  const isAuthHeader = (parameter: unknown): boolean => {
    const ref = isObject(parameter) && typeof parameter.$ref === 'string' ? parameter.$ref.split('/').pop() : undefined;
    const resolved = ref === undefined ? parameter : parameters[ref];
    return isObject(resolved) && resolved.in === 'header' && String(resolved.name).toLowerCase() === AUTH_HEADER;
  };
  const withoutAuthHeader = (holder: Json): void => {
    if (Array.isArray(holder.parameters)) holder.parameters = holder.parameters.filter((parameter) => !isAuthHeader(parameter));
  };
  for (const item of Object.values(isObject(copy.paths) ? copy.paths : {})) {
    if (!isObject(item)) continue;
    withoutAuthHeader(item);
    for (const method of METHODS) if (isObject(item[method])) withoutAuthHeader(item[method]);
  }
  return copy;
}
