import type { Route } from '../router';
import { revokeToken } from '../api';
import { signOut, type Session } from '../session';

const LINKS: { page: Route['page']; href: string; label: string; needsSession: boolean }[] = [
  { page: 'browse', href: '#/', label: 'Artifacts', needsSession: true },
  { page: 'search', href: '#/search', label: 'Search', needsSession: true },
  { page: 'add', href: '#/add', label: 'Add', needsSession: true },
  { page: 'release', href: '#/release', label: 'Release', needsSession: true },
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
              <a class="account__name" href="#/account" aria-current={route.page === 'account' ? 'page' : undefined}>
                <span class="visually-hidden">Your account: signed in as </span>
                <span class="account__icon" aria-hidden="true">●</span> {session.userName}
              </a>
              <button type="button" class="button button--quiet" onClick={() => void signOutEverywhere()}>
                Sign out
              </button>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/** The token is revoked at the registry too, so a copy of it is worthless from now on. */
async function signOutEverywhere(): Promise<void> {
  await revokeToken();
  signOut('You have signed out.');
}

/** The hash is the router's: move focus to <main> without changing it. */
function skipToMain(event: MouseEvent): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
