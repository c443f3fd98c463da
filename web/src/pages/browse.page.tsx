import { useState } from 'preact/hooks';
import { listArtifacts } from '../api';
import { ARTIFACT_TYPES, type ArtifactType } from '../api-types';
import { ArtifactResults } from '../components/artifact-results';
import { PageTitle } from '../components/page-title';
import { TypeFilter } from '../components/type-filter';

export function BrowsePage() {
  const [types, setTypes] = useState<ArtifactType[]>([...ARTIFACT_TYPES]);
  const everything = types.length === ARTIFACT_TYPES.length;
  return (
    <>
      <div class="page-head">
        <PageTitle title="Artifacts" />
        <a class="button" href="#/add">
          Add an artifact
        </a>
      </div>
      <p class="lead">Every model, dataset and code package in the registry, oldest first.</p>
      <TypeFilter selected={types} onChange={setTypes} />
      {types.length === 0 ? (
        <div class="empty">
          <p>Select at least one kind of artifact to list.</p>
        </div>
      ) : (
        <ArtifactResults
          queryKey={types.join(',')}
          caption="Artifacts in the registry"
          loadPage={(offset) => listArtifacts([{ name: '*', types }], offset)}
          empty={
            everything ? (
              <p>
                The registry is empty. <a href="#/add">Upload a zip or register one from a URL</a>.
              </p>
            ) : (
              <p>No artifacts of the selected kinds.</p>
            )
          }
        />
      )}
    </>
  );
}
