import type { Request } from 'express';
import { parseArtifactType, type ArtifactPackage, type ArtifactRecord, type SourceSnapshot } from '../../domain/artifact';
import { deepFreeze, isDeeplyFrozen } from '../../domain/immutable';
import type { TrustVerdict } from '../../domain/trust-verdict';
import { isContractAuditEntry, type AuditEntry } from '../../domain/audit';
import type { ContentScan } from '../../domain/content-scan';
import type { ConfusionReport } from '../../domain/package-confusion';
import type { Page } from '../../domain/pagination';
import type { Response } from 'express';
import type { components } from './generated/openapi';

type Schemas = components['schemas'];
export const MAX_LISTED_FILES = 1000;

/** `http://host:port`, with an IPv6 host in brackets. */
export const listeningUrlOf = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Set on a request by the Lambda adapter: the origin (and stage) API Gateway was invoked through. */
export const GATEWAY_BASE_URL = Symbol.for('tmr.gatewayBaseUrl');

/**
 * The base of every link the registry hands out: `TMR_PUBLIC_URL`, else the address the server
 * listens on (or, under Lambda, the gateway's own domain). Never the Host header, which any client
 * can set to send other users' downloads elsewhere.
 */
export function baseUrlOf(req: Request): string {
  const gateway = (req as unknown as Record<symbol, unknown>)[GATEWAY_BASE_URL];
  return baseUrlIn(req.app.locals, typeof gateway === 'string' ? gateway : undefined);
}

/** The same from the app's settings alone, for a request answered outside Express (never under Lambda). */
export function baseUrlIn(locals: Record<string, unknown>, gateway?: string): string {
  const configured = locals.publicUrl;
  if (typeof configured === 'string') return configured;
  return gateway ?? String(locals.listeningUrl);
}

/** Where the artifact's bytes came from: its source URL, or a URN naming the exact uploaded zip. */
export function sourceUrlOf(record: ArtifactRecord): string {
  return record.source.kind === 'url' ? record.source.url : `urn:tmr:upload:sha256:${record.package?.full.sha256 ?? ''}`;
}

export function downloadUrlOf(req: Request, record: ArtifactRecord): string {
  return downloadUrlAt(baseUrlOf(req), record);
}

const downloadUrlAt = (baseUrl: string, record: ArtifactRecord): string => `${baseUrl}/artifacts/${record.type}/${encodeURIComponent(record.id)}/download`;

export function presentArtifact(req: Request, record: ArtifactRecord): Schemas['Artifact'] {
  return presentArtifactAt(baseUrlOf(req), record);
}

/**
 * A record that cannot change (a cached one, frozen whole) is presented once per base URL, and the
 * presentation frozen whole too, so the short route also serialises it once (hot-reads.ts).
 */
const presentedOnce = new WeakMap<ArtifactRecord, { readonly baseUrl: string; readonly body: Schemas['Artifact'] }>();

export function presentArtifactAt(baseUrl: string, record: ArtifactRecord): Schemas['Artifact'] {
  const known = presentedOnce.get(record);
  if (known !== undefined && known.baseUrl === baseUrl) return known.body;
  const body: Schemas['Artifact'] = {
    metadata: { name: record.name, id: record.id, type: record.type },
    data: { url: sourceUrlOf(record), download_url: downloadUrlAt(baseUrl, record) },
  };
  if (isDeeplyFrozen(record)) presentedOnce.set(record, { baseUrl, body: deepFreeze(body) });
  return body;
}

type PackageSummary = Schemas['PackageSummary'];

function presentPackage(stored: ArtifactPackage): PackageSummary {
  const bundle = (b: { sha256: string; size: number; fileCount: number }) => ({ sha256: b.sha256, size: b.size, file_count: b.fileCount });
  const parts: PackageSummary['parts'] = {};
  for (const [part, content] of Object.entries(stored.parts)) {
    if (content !== undefined) parts[part as keyof typeof parts] = bundle(content);
  }
  return {
    ...bundle(stored.full),
    parts,
    files: stored.files.slice(0, MAX_LISTED_FILES).map(({ path, size, part, sha256 }) => ({ path, size, part, ...(sha256 === undefined ? {} : { sha256 }) })),
    files_truncated: stored.files.length > MAX_LISTED_FILES,
  };
}

export function presentTrust(verdict: TrustVerdict): Schemas['TrustVerdict'] {
  return {
    meets_bar: verdict.meetsBar,
    threshold: verdict.threshold,
    failing: verdict.failing.map(({ metric, value }) => ({ metric, value })),
    skipped: [...verdict.skipped],
    ...(verdict.content === undefined ? {} : { content: { passing: verdict.content.passing, summary: verdict.content.summary } }),
  };
}

export const trustSummaryOf = (record: ArtifactRecord): Schemas['TrustSummary'] =>
  record.trust === undefined ? 'unrated' : record.trust.meetsBar ? 'meets' : 'below';

function presentOrigin(origin: SourceSnapshot): NonNullable<Schemas['ArtifactDetails']['origin']> {
  return {
    hub: origin.hub,
    repo: origin.repo,
    revision: origin.revision,
    ...(origin.commit === undefined ? {} : { commit: origin.commit }),
    ...(origin.path === undefined ? {} : { path: origin.path }),
  };
}

export function presentDetails(req: Request, record: ArtifactRecord): Schemas['ArtifactDetails'] {
  const source = record.source.kind === 'url'
    ? { kind: 'url' as const, url: record.source.url }
    : { kind: 'upload' as const, ...(record.source.filename === undefined ? {} : { filename: record.source.filename }) };
  return {
    ...presentArtifact(req, record),
    ...(record.version === undefined ? {} : { version: record.version }),
    source,
    mirrored: record.package !== undefined,
    ...(record.package === undefined ? {} : { package: presentPackage(record.package) }),
    ...(record.reference === undefined ? {} : { reference: { page: record.reference.page, reason: record.reference.reason } }),
    ...(record.origin === undefined ? {} : { origin: presentOrigin(record.origin) }),
    ...(record.trust === undefined ? {} : { trust: presentTrust(record.trust) }),
    ...(record.card === undefined ? {} : { card_excerpt: record.card.text.slice(0, 4096), card_metadata: { ...record.card.metadata } }),
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    ...(record.contentScan === undefined ? {} : { content_scan: presentContentScan(record.contentScan) }),
    ...(record.confusion === undefined ? {} : { confusion: presentConfusion(record.confusion) }),
  };
}

export function presentAudit(entry: AuditEntry): Schemas['RegistryAuditEntry'] {
  return {
    user: { name: entry.user.name, is_admin: entry.user.isAdmin },
    date: entry.date,
    artifact: entry.artifact,
    action: entry.action,
    ...(entry.detail === undefined ? {} : { detail: entry.detail }),
  };
}

/** Sends one page; the `offset` header is the cursor of the next page and is absent on the last. */
export function sendPage<T>(res: Response, page: Page<T>): void {
  if (page.next !== undefined) res.setHeader('offset', page.next);
  res.status(200).json(page.items);
}

/** The contract's per-artifact trail knows no DELETE (its artifact is gone by then); the admin audit route does. */
export function presentContractAudit(entries: readonly AuditEntry[]): Schemas['ArtifactAuditEntry'][] {
  return entries.filter(isContractAuditEntry).map((entry) => ({ ...presentAudit(entry), action: entry.action }));
}

export function presentContentScan(scan: ContentScan): Schemas['ContentScan'] {
  return {
    rules: scan.rules,
    scanned_at: scan.scannedAt,
    verdict: scan.verdict,
    files: scan.files.map((file) => ({
      path: file.path,
      format: file.format,
      verdict: file.verdict,
      findings: file.findings.map((finding) => ({ verdict: finding.verdict, message: finding.message, ...(finding.global === undefined ? {} : { global: finding.global }) })),
      ...(file.globals === undefined ? {} : { globals: [...file.globals] }),
    })),
  };
}

export function presentConfusion(report: ConfusionReport): Schemas['ConfusionReport'] {
  return {
    score: report.score,
    reasons: [...report.reasons],
    ...(report.resembles === undefined ? {} : { resembles: { ...report.resembles, type: parseArtifactType(report.resembles.type) } }),
  };
}
