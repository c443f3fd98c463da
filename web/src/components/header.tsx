import type { Route } from '../router';
import { signOut, type Session } from '../session';

const LINKS: { page: Route['page']; href: string; label: string; needsSession: boolean }[] = [
  { page: 'browse', href: '#/', label: 'Artifacts', needsSession: true },
  { page: 'search', href: '#/search', label: 'Search', needsSession: true },
  { page: 'add', href: '#/add', label: 'Add', needsSession: true },
  { page: 'health', href: '#/health', label: 'Health', needsSession: false },
  { page: 'admin', href: '#/admin', label: 'Admin', needsSession: true },
];

export function SiteHeader({ route, session }: { route: Route; session: Session | undefined }) {
  const current = (page: Route['page']): 'page' | undefined => (route.page === page || (page === 'browse' && route.page === 'artifact') ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <div class="site-header__inner">
        <a class="brand" href="#/">
          <span class="brand__mark" aria-hidden="true">
            ◆
          </span>
          Trustworthy Model Registry
        </a>
        <nav aria-label="Main">
          <ul class="nav">
            {LINKS.filter((link) => session !== undefined || !link.needsSession).map((link) => (
              <li key={link.page}>
                <a href={link.href} aria-current={current(link.page)}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          {session === undefined ? (
            <span class="account__name">Not signed in</span>
          ) : (
            <>
              <span class="account__name">
                <span class="visually-hidden">Signed in as </span>
                <span class="account__icon" aria-hidden="true">●</span> {session.userName}
              </span>
              <button type="button" class="button button--quiet" onClick={() => signOut('You have signed out.')}>
                Sign out
              </button>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/** The hash is the router's: move focus to <main> without changing it. */
function skipToMain(event: MouseEvent): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
