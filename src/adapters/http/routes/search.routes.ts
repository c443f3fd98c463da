import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import type { ArtifactType } from '../../../domain/artifact';
import { FindByName } from '../../../application/find-by-name.use-case';
import { QueryArtifacts } from '../../../application/query-artifacts.use-case';
import { SearchByRegex } from '../../../application/search-by-regex.use-case';
import { sendPage } from '../presenters';
import { actorOf } from './artifact.routes';

const offsetOf = (req: Request): { offset?: string } => {
  const offset = req.query.offset;
  return typeof offset === 'string' ? { offset } : {};
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

  router.get('/artifact/byName/:name', async (req, res) => {
    const page = await container.resolve(FindByName).execute({ actor: actorOf(res), name: String(req.params.name), ...offsetOf(req) });
    sendPage(res, page);
  });

  router.post('/artifact/byRegEx', async (req, res) => {
    const { regex } = req.body as { regex: string };
    const page = await container.resolve(SearchByRegex).execute({ actor: actorOf(res), regex, ...offsetOf(req) });
    sendPage(res, page);
  });

  return router;
}
