import type { ArtifactDetails, ConfusionReport, ContentScan, ScanVerdict } from '../api-types';
import { formatDate } from '../format';
import { artifactHref } from '../router';

const BADGE: Record<ScanVerdict | 'unscanned', { css: string; text: string }> = {
  safe: { css: 'status-badge--ok', text: 'Content scan: nothing found' },
  suspicious: { css: 'status-badge--degraded', text: 'Content scan: suspicious' },
  dangerous: { css: 'status-badge--critical', text: 'Content scan: dangerous' },
  unscanned: { css: 'status-badge--unknown', text: 'Not scanned yet' },
};

/**
 * The warnings a reader must not miss, shown above the page's sections: a suspicious or dangerous
 * content verdict, and a name that imitates another artifact's.
 */
export function SecurityWarnings({ details }: { details: ArtifactDetails }) {
  const scan = details.content_scan;
  return (
    <>
      {scan !== undefined && scan.verdict !== 'safe' && (
        <div class={`alert ${scan.verdict === 'dangerous' ? 'alert--error' : 'alert--warning'}`} role="note">
          <p class="alert__title">{scan.verdict === 'dangerous' ? 'Unsafe content: downloads are refused' : 'Suspicious content'}</p>
          <p>
            {scan.files.filter((file) => file.verdict !== 'safe').length} file(s) import code this registry cannot vouch for. Load them only if you
            trust the publisher; the Content security section below lists each finding.
          </p>
        </div>
      )}
      {details.confusion !== undefined && <ConfusionWarning report={details.confusion} />}
    </>
  );
}

function ConfusionWarning({ report }: { report: ConfusionReport }) {
  const original = report.resembles;
  return (
    <div class="alert alert--warning" role="note">
      <p class="alert__title">
        Possible imitation{original === undefined ? '' : ' of '}
        {original !== undefined && <a href={artifactHref(original.type, original.id)}>{original.name}</a>} (suspicion{' '}
        {report.score.toFixed(2)})
      </p>
      <ul>
        {report.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </div>
  );
}

/** Every scanned file with its verdict, what it imports, and why. */
export function SecurityPanel({ scan }: { scan: ContentScan | undefined }) {
  const badge = BADGE[scan?.verdict ?? 'unscanned'];
  return (
    <>
      <p>
        <span class={`status-badge ${badge.css}`}>{badge.text}</span>
        {scan !== undefined && <span class="meta"> Scanned {formatDate(scan.scanned_at)} under rules {scan.rules}.</span>}
      </p>
      {scan === undefined && <p>This artifact was registered before content scanning; an administrator can re-scan it.</p>}
      {scan !== undefined && scan.files.length === 0 && <p>No file in this package can carry code (no pickles, checkpoints or weight headers to check).</p>}
      {scan !== undefined && scan.files.length > 0 && <ScanTable scan={scan} />}
    </>
  );
}

function ScanTable({ scan }: { scan: ContentScan }) {
  return (
    <table class="table table--compact">
      <caption class="visually-hidden">Scanned files and their verdicts</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Read as</th>
          <th scope="col">Verdict</th>
          <th scope="col">Findings</th>
        </tr>
      </thead>
      <tbody>
        {scan.files.map((file) => (
          <tr key={file.path}>
            <td><code>{file.path}</code></td>
            <td>{file.format}</td>
            <td>{file.verdict}</td>
            <td>
              {file.findings.length === 0 ? (file.globals !== undefined && file.globals.length > 0 ? `imports only allowed globals (${file.globals.join(', ')})` : '—') : (
                <ul>
                  {file.findings.map((finding) => (
                    <li key={finding.message}>
                      {finding.verdict}: {finding.message}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
