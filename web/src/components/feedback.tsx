import type { ComponentChildren } from 'preact';
import { explain } from '../errors';

/** An API or page error in words, with the request id to quote; announced at once (role="alert"). */
export function ErrorAlert({ error, onRetry, retryLabel = 'Try again' }: { error: unknown; onRetry?: () => void; retryLabel?: string }) {
  const { title, detail, requestId, output } = explain(error);
  return (
    <div class="alert alert--error" role="alert">
      <p class="alert__title">{title}</p>
      {detail !== undefined && <p>{detail}</p>}
      {output !== undefined && (
        <>
          <p>The model's program said:</p>
          <pre class="hook-output" data-testid="hook-output">{output}</pre>
        </>
      )}
      {requestId !== undefined && <p class="alert__meta">Request id <code>{requestId}</code> — quote it when reporting the problem.</p>}
      {onRetry !== undefined && (
        <button type="button" class="button button--secondary" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}

/**
 * A polite live region. It is always in the page (empty when idle) so that screen readers announce
 * the text when it changes.
 */
export function StatusMessage({ children, id }: { children?: ComponentChildren; id?: string }) {
  return (
    <div class="status" role="status" aria-live="polite" id={id}>
      {children}
    </div>
  );
}

export function Notice({ tone = 'info', children }: { tone?: 'info' | 'success' | 'warning'; children: ComponentChildren }) {
  return <div class={`alert alert--${tone}`}>{children}</div>;
}
