import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import type { ArtifactType } from '../../../domain/artifact';
import { FindByName } from '../../../application/find-by-name.use-case';
import { QueryArtifacts } from '../../../application/query-artifacts.use-case';
import { SearchByRegex } from '../../../application/search-by-regex.use-case';
import { sendPage } from '../presenters';
import { actorOf } from './artifact.routes';
import { routeOf, type Read } from './read-answer';

const offsetOf = (req: Request): { offset?: string } => {
  const offset = req.query.offset;
  return typeof offset === 'string' ? { offset } : {};
};

// A frequent read: also answered by the short route (hot-reads.ts).
export const readByName = (container: DependencyContainer): Read => async ({ actor, params, query }) => {
  const offset = typeof query.offset === 'string' ? { offset: query.offset } : {};
  const page = await container.resolve(FindByName).execute({ actor, name: String(params.name), ...offset });
  // As sendPage: the cursor of the next page, if any, in the `offset` header.
  return { body: page.items, ...(page.next === undefined ? {} : { headers: { offset: page.next } }) };
};

/** Enumeration and search: every answer is one bounded page plus a cursor for the next. */
export function searchRoutes(container: DependencyContainer): Router {
  const router = Router();

  router.post('/artifacts', async (req, res) => {
    const queries = req.body as { name: string; types?: ArtifactType[]; version?: string; trust?: string }[];
    const page = await container.resolve(QueryArtifacts).execute({ actor: actorOf(res), queries, ...offsetOf(req) });
    // The contract's items are bare metadata; the trust standing is added only when asked for.
    const withTrust = req.query.include === 'trust';
    sendPage(res, { ...page, items: page.items.map(({ trust, ...metadata }) => (withTrust ? { ...metadata, trust } : metadata)) });
  });

  router.get('/artifact/byName/:name', routeOf(readByName(container)));

  router.post('/artifact/byRegEx', async (req, res) => {
    const { regex } = req.body as { regex: string };
    const page = await container.resolve(SearchByRegex).execute({ actor: actorOf(res), regex, ...offsetOf(req) });
    sendPage(res, page);
  });

  return router;
}
