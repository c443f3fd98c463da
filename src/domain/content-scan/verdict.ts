/** How far a file can be trusted: `dangerous` refuses the intake, `suspicious` registers with a warning. */
export const VERDICTS = ['safe', 'suspicious', 'dangerous'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ScanFinding {
  readonly verdict: Exclude<Verdict, 'safe'>;
  /** The imported global (`module.name`) the finding is about, when it is about one. */
  readonly global?: string;
  readonly message: string;
}

/** The verdict on one file, or on a file inside an archive (`outer.bin!archive/data.pkl`). */
export interface FileScan {
  readonly path: string;
  /** What the content was read as: pickle, torch-zip, npy, npz, safetensors, gguf, onnx. */
  readonly format: string;
  readonly verdict: Verdict;
  readonly findings: readonly ScanFinding[];
  /** Globals a pickle imports, each once, so a reader sees what loading it would touch. */
  readonly globals?: readonly string[];
}

/** Every scanned file's verdict, kept on the artifact record. */
export interface ContentScan {
  /** Bumped when the rules change, so records scanned under older rules can be found and re-scanned. */
  readonly rules: string;
  readonly scannedAt: string;
  readonly verdict: Verdict;
  readonly files: readonly FileScan[];
}

export const SCAN_RULES_VERSION = '2026-11-30.1';

const RANK: Record<Verdict, number> = { safe: 0, suspicious: 1, dangerous: 2 };

export const worstVerdict = (verdicts: Iterable<Verdict>): Verdict => {
  let worst: Verdict = 'safe';
  for (const verdict of verdicts) if (RANK[verdict] > RANK[worst]) worst = verdict;
  return worst;
};

export function fileScan(path: string, format: string, findings: readonly ScanFinding[], globals?: readonly string[]): FileScan {
  return {
    path,
    format,
    verdict: worstVerdict(findings.map((finding) => finding.verdict)),
    findings,
    ...(globals === undefined ? {} : { globals }),
  };
}

export function contentScan(files: readonly FileScan[], scannedAt: string): ContentScan {
  return { rules: SCAN_RULES_VERSION, scannedAt, verdict: worstVerdict(files.map((file) => file.verdict)), files };
}

/** The findings that make a package dangerous, each naming its file: what a refusal reports. */
export const dangerousFindings = (scan: ContentScan): { path: string; finding: ScanFinding }[] =>
  scan.files.flatMap((file) => file.findings.filter((finding) => finding.verdict === 'dangerous').map((finding) => ({ path: file.path, finding })));

/**
 * The content-security signal a trust summary counts: passing only when every scanned file is safe.
 * Artifacts registered before the scanner have no scan and no signal until an administrator re-scans.
 */
export function contentSignal(scan: ContentScan | undefined): { readonly passing: boolean; readonly summary: string } | undefined {
  if (scan === undefined) return undefined;
  const count = (verdict: Verdict): number => scan.files.filter((file) => file.verdict === verdict).length;
  if (scan.verdict === 'safe') return { passing: true, summary: `${scan.files.length} file(s) scanned, nothing found` };
  return { passing: false, summary: `${count('dangerous')} dangerous, ${count('suspicious')} suspicious of ${scan.files.length} scanned file(s)` };
}
