import { useState } from 'preact/hooks';
import { explainRating, getDetails, getLineage } from '../api';
import type { ArtifactDetails, ArtifactType, LineageNode } from '../api-types';
import { AuditTrail } from '../components/audit-trail';
import { CostPanel } from '../components/cost-panel';
import { DownloadPanel, FilesTable, type MirroredDetails } from '../components/download-panel';
import { SecurityPanel, SecurityWarnings } from '../components/security-panel';
import { ErrorAlert, Notice, StatusMessage } from '../components/feedback';
import { LicenseCheck } from '../components/license-check';
import { LineageGraph } from '../components/lineage-graph';
import { PageTitle } from '../components/page-title';
import { ProgressBar } from '../components/progress';
import { RatingPanel } from '../components/rating-panel';
import { SensitivityPanel } from '../components/sensitivity-panel';
import { JumpLinks, Section } from '../components/section';
import { TrustBadge, TrustVerdictPanel, standingOf } from '../components/trust-badge';
import { TypeBadge } from '../components/type-filter';
import { VersionsPanel } from '../components/versions-panel';
import { formatBytes, formatDate, plural } from '../format';
import { useLoad } from '../use-load';

export function ArtifactPage({ type, id }: { type: ArtifactType; id: string }) {
  const details = useLoad(() => getDetails(type, id), [type, id]);
  if (details.status === 'loading') {
    return (
      <>
        <PageTitle title="Artifact" />
        <StatusMessage>Loading the artifact…</StatusMessage>
        <ProgressBar label="Loading the artifact" />
      </>
    );
  }
  if (details.status === 'failed') {
    return (
      <>
        <PageTitle title="Artifact" />
        <ErrorAlert error={details.error} onRetry={details.reload} />
        <p>
          <a href="#/">Back to all artifacts</a>
        </p>
      </>
    );
  }
  return <ArtifactView details={details.data} />;
}

function ArtifactView({ details }: { details: ArtifactDetails }) {
  const { metadata } = details;
  const isModel = metadata.type === 'model';
  const [downloads, setDownloads] = useState(0);
  const lineage = useLoad(() => (isModel ? getLineage(metadata.id) : Promise.resolve(undefined)), [metadata.id]);
  const names = new Map<string, LineageNode>((lineage.data?.nodes ?? []).map((node) => [node.artifact_id, node]));
  const sections = [
    ...(isModel ? [{ id: 'rating', title: 'Rating' }, { id: 'lineage', title: 'Lineage' }] : []),
    { id: 'download', title: 'Download' },
    ...(isModel ? [{ id: 'sensitivity', title: 'Sensitivity' }] : []),
    { id: 'security', title: 'Content security' },
    { id: 'cost', title: 'Size' },
    ...(isModel ? [{ id: 'license', title: 'License check' }] : []),
    { id: 'versions', title: 'Versions' },
    { id: 'audit', title: 'Audit trail' },
  ];
  return (
    <>
      <p class="breadcrumb">
        <a href="#/">Artifacts</a> <span aria-hidden="true">/</span> {metadata.name}
      </p>
      <div class="page-head">
        <PageTitle title={metadata.name} />
        <TypeBadge type={metadata.type} />
        {details.version !== undefined && <span class="badge badge--version">v{details.version}</span>}
        {isModel && <TrustBadge standing={standingOf(details.trust)} />}
        {!details.mirrored && <span class="badge badge--trust-unrated">Not mirrored</span>}
      </div>
      <SecurityWarnings details={details} />
      <Overview details={details} />
      {details.trust !== undefined && <TrustVerdictPanel verdict={details.trust} />}
      <JumpLinks sections={sections} />
      {isModel && (
        <Section id="rating" title="Rating" intro="Each metric is between 0 and 1; higher is better. Open a metric's reasons to see what it rests on.">
          <Rating id={metadata.id} />
        </Section>
      )}
      {isModel && (
        <Section id="lineage" title="Lineage" intro="What this model was derived from, and the registered models derived from it, as read from their configs and model cards.">
          {lineage.status === 'loading' && <StatusMessage>Loading the lineage…</StatusMessage>}
          {lineage.status === 'failed' && <ErrorAlert error={lineage.error} onRetry={lineage.reload} />}
          {lineage.status === 'done' && lineage.data !== undefined && <LineageGraph graph={lineage.data} focusId={metadata.id} />}
        </Section>
      )}
      <Section id="download" title="Download" intro="Each download is checked: the registry announces its sha256 and your browser recomputes it.">
        {isMirrored(details) ? (
          <>
            <DownloadPanel details={details} onDownloaded={() => setDownloads((count) => count + 1)} />
            <FilesTable details={details} />
          </>
        ) : (
          <ExternalReference details={details} />
        )}
      </Section>
      <Section id="security" title="Content security" intro="Pickles and checkpoints are read without running them; each import is judged against what real checkpoints need. Weight headers are checked against the file.">
        <SecurityPanel scan={details.content_scan} />
      </Section>
      {isModel && (
        <Section id="sensitivity" title="Sensitivity" intro="A sensitive model carries a program, set by its uploader or an administrator, that decides each download.">
          <SensitivityPanel details={details} refreshKey={downloads} />
        </Section>
      )}
      <Section id="cost" title="Size" intro="Megabytes to download to use this artifact, alone and with what it depends on.">
        <CostPanel artifact={metadata} names={names} />
      </Section>
      {isModel && (
        <Section id="license" title="License check" intro="May a GitHub project's code be used to fine-tune this model and run inference with the result?">
          <LicenseCheck modelId={metadata.id} />
        </Section>
      )}
      <Section id="versions" title="Versions" intro={`Every artifact registered under the name “${metadata.name}”.`}>
        <VersionsPanel artifact={metadata} />
      </Section>
      <Section id="audit" title="Audit trail" intro="Who created, updated, downloaded, rated or audited this artifact, newest first. Opening this page is not recorded; refreshing the trail is.">
        <AuditTrail artifact={metadata} refreshKey={downloads} />
      </Section>
    </>
  );
}

const isMirrored = (details: ArtifactDetails): details is MirroredDetails => details.package !== undefined;

/** A source the registry knows by reference only: there is nothing here to download. */
function ExternalReference({ details }: { details: ArtifactDetails }) {
  const page = details.reference?.page ?? details.source.url;
  return (
    <Notice tone="warning">
      <p class="alert__title">Not mirrored: the registry holds no copy of this artifact.</p>
      {details.reference !== undefined && <p>{details.reference.reason}.</p>}
      {page !== undefined && (
        <p>
          Get it from{' '}
          <a href={page} rel="noopener noreferrer" target="_blank">
            {page.replace(/^https:\/\//, '')}
            <span class="visually-hidden"> (opens in a new tab)</span>
          </a>
          ; the registry's download link redirects there.
        </p>
      )}
    </Notice>
  );
}

function Rating({ id }: { id: string }) {
  const rating = useLoad(() => explainRating(id), [id]);
  if (rating.status === 'loading') return <StatusMessage>Loading the rating…</StatusMessage>;
  if (rating.status === 'failed') return <ErrorAlert error={rating.error} onRetry={rating.reload} />;
  return <RatingPanel report={rating.data} />;
}

function Overview({ details }: { details: ArtifactDetails }) {
  const { source } = details;
  return (
    <dl class="facts">
      <div>
        <dt>Source</dt>
        <dd>
          {source.kind === 'url' && source.url !== undefined ? (
            <a href={source.url} rel="noopener noreferrer" target="_blank">
              {source.url.replace(/^https:\/\//, '')}
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          ) : (
            <>Uploaded zip{source.filename !== undefined && <> ({source.filename})</>}</>
          )}
        </dd>
      </div>
      <div>
        <dt>Registered</dt>
        <dd>
          {formatDate(details.created_at)} by {details.created_by}
        </dd>
      </div>
      <div>
        <dt>Package</dt>
        <dd>{details.package === undefined ? 'Not mirrored (external reference)' : <>{formatBytes(details.package.size)}, {plural(details.package.file_count, 'file')}</>}</dd>
      </div>
      <div>
        <dt>Id</dt>
        <dd>
          <code>{details.metadata.id}</code>
        </dd>
      </div>
      {details.package !== undefined && (
        <div class="facts__wide">
          <dt>sha256</dt>
          <dd>
            <code class="digest">{details.package.sha256}</code>
          </dd>
        </div>
      )}
      {details.updated_at !== details.created_at && (
        <div>
          <dt>Content updated</dt>
          <dd>{formatDate(details.updated_at)}</dd>
        </div>
      )}
      {details.card_excerpt !== undefined && details.card_excerpt.trim().length > 0 && (
        <div class="facts__wide">
          <dt>Model card</dt>
          <dd>
            <details>
              <summary>Read the beginning of the model card</summary>
              <pre class="card-excerpt">{details.card_excerpt}</pre>
            </details>
          </dd>
        </div>
      )}
    </dl>
  );
}
