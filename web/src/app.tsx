import { useRef } from 'preact/hooks';
import { SiteHeader } from './components/header';
import { MoveFocusContext, PageTitle } from './components/page-title';
import { AccountPage } from './pages/account.page';
import { AddPage } from './pages/add.page';
import { AdminPage } from './pages/admin.page';
import { ArtifactPage } from './pages/artifact.page';
import { BrowsePage } from './pages/browse.page';
import { HealthPage } from './pages/health.page';
import { ReleasePage } from './pages/release.page';
import { SearchPage } from './pages/search.page';
import { SignInPage } from './pages/sign-in.page';
import { useRoute, type Route } from './router';
import { useSession } from './session';

function content(route: Route) {
  switch (route.page) {
    case 'browse':
      return <BrowsePage />;
    case 'search':
      return <SearchPage params={route.params} />;
    case 'artifact':
      return <ArtifactPage type={route.type} id={route.id} />;
    case 'add':
      return <AddPage />;
    case 'health':
      return <HealthPage />;
    case 'admin':
      return <AdminPage />;
    case 'account':
      return <AccountPage />;
    case 'release':
      return <ReleasePage {...(route.id === undefined ? {} : { id: route.id })} />;
    case 'not-found':
      return (
        <>
          <PageTitle title="Page not found" />
          <p>
            There is no page at <code>#/{route.path}</code>. <a href="#/">Go to all artifacts</a>.
          </p>
        </>
      );
  }
}

export function App() {
  const { route, navigations } = useRoute();
  const { session, notice } = useSession();
  const signedIn = session !== undefined;
  // Signing in or out swaps the page as a navigation does; count it so the new page takes focus.
  const sessionChanges = useRef({ signedIn, count: 0 });
  if (sessionChanges.current.signedIn !== signedIn) sessionChanges.current = { signedIn, count: sessionChanges.current.count + 1 };
  const moveFocus = navigations + sessionChanges.current.count > 0;
  const needsSignIn = !signedIn && route.page !== 'health';
  const key = `${needsSignIn ? 'sign-in' : window.location.hash}`;
  return (
    <>
      <SiteHeader route={route} session={session} />
      <main id="main" tabIndex={-1}>
        <MoveFocusContext.Provider value={moveFocus}>
          <div key={key}>{needsSignIn ? <SignInPage notice={notice} /> : content(route)}</div>
        </MoveFocusContext.Provider>
      </main>
      <footer class="site-footer">
        <p>
          Trustworthy Model Registry · <a href="/docs">API documentation</a> · <a href="/openapi.yaml">OpenAPI document</a>
        </p>
      </footer>
    </>
  );
}
