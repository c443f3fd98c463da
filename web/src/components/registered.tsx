import type { Registration } from '../api';
import { artifactHref } from '../router';

/** The outcome of a registration, with a link to the new artifact. */
export function Registered({ registration }: { registration: Registration }) {
  if (registration.kind === 'accepted') {
    return (
      <div class="alert alert--success">
        <p class="alert__title">Stored. The rating is still running.</p>
        <p>The artifact appears in the registry once its rating succeeds, and is discarded if the rating fails.</p>
      </div>
    );
  }
  const { metadata } = registration.artifact;
  return (
    <div class="alert alert--success">
      <p class="alert__title">
        Registered {metadata.name} ({metadata.type}).
      </p>
      <p>
        <a href={artifactHref(metadata.type, metadata.id)}>Open {metadata.name}</a> — id <code>{metadata.id}</code>
      </p>
    </div>
  );
}
