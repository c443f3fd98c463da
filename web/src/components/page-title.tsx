import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';

/** True when the page was reached by navigating inside the app: its heading then takes focus. */
export const MoveFocusContext = createContext(false);

/**
 * The page's one h1. It sets the document title and, after an in-app navigation, takes focus so
 * keyboard and screen-reader users start at the new page's top instead of the old link.
 */
export function PageTitle({ title, children }: { title: string; children?: ComponentChildren }) {
  const moveFocus = useContext(MoveFocusContext);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Trustworthy Model Registry`;
  }, [title]);
  useEffect(() => {
    if (moveFocus) heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
