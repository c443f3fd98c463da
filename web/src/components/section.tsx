import type { ComponentChildren } from 'preact';

/** A titled part of a page; its heading can take focus when a jump link leads to it. */
export function Section({ id, title, children, intro }: { id: string; title: string; children: ComponentChildren; intro?: ComponentChildren }) {
  return (
    <section class="section card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} tabIndex={-1}>
        {title}
      </h2>
      {intro !== undefined && <p class="section__intro">{intro}</p>}
      {children}
    </section>
  );
}

/**
 * Links within a page. The hash belongs to the router, so these move focus (and scroll) to the
 * section's heading themselves instead of changing it.
 */
export function JumpLinks({ sections }: { sections: { id: string; title: string }[] }) {
  const jump = (event: MouseEvent, id: string): void => {
    event.preventDefault();
    const heading = document.getElementById(`${id}-heading`);
    heading?.focus();
    heading?.scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  };
  return (
    <nav class="jump-links" aria-label="On this page">
      <ul>
        {sections.map((section) => (
          <li key={section.id}>
            <a href={`#${section.id}-heading`} onClick={(event) => jump(event, section.id)}>
              {section.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
