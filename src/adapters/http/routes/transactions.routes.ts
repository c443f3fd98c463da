import { Router, type Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import {
  AbortTransaction, CommitTransaction, GetTransaction, OpenTransaction, StageChange,
} from '../../../application/transactions.use-cases';
import { assertArtifactId, parseArtifactType } from '../../../domain/artifact';
import { resolve } from '../../di/container';
import { Tokens } from '../../di/tokens';
import { presentCommitted, presentStagedItem, presentTransaction } from '../transaction-presenters';
import { whileStaged } from '../upload-staging';
import { actorOf, registrationContentOf, replacementContentOf } from './artifact.routes';

const transactionId = (req: Request): string => assertArtifactId(String(req.params.id));
const artifactTarget = (req: Request) => ({
  type: parseArtifactType(String(req.params.artifact_type)),
  artifactId: assertArtifactId(String(req.params.artifact_id)),
});

/** Transactions: open, stage (create, replace, delete), read, commit, abort. */
export function transactionRoutes(container: DependencyContainer): Router {
  const router = Router();
  const now = (): Date => resolve(container, Tokens.Clock).now();

  router.post('/transactions', async (_req, res) => {
    const txn = await container.resolve(OpenTransaction).execute({ actor: actorOf(res) });
    res.status(201).json(presentTransaction(txn, now()));
  });

  router.get('/transactions/:id', async (req, res) => {
    const txn = await container.resolve(GetTransaction).execute({ actor: actorOf(res), id: transactionId(req) });
    res.status(200).json(presentTransaction(txn, now()));
  });

  router.delete('/transactions/:id', async (req, res) => {
    await container.resolve(AbortTransaction).execute({ actor: actorOf(res), id: transactionId(req) });
    res.status(204).end();
  });

  router.post('/transactions/:id/artifact/:artifact_type', async (req, res) => {
    const input = { actor: actorOf(res), id: transactionId(req), type: parseArtifactType(String(req.params.artifact_type)), content: registrationContentOf(req, res) };
    const item = await whileStaged(res, () => container.resolve(StageChange).create(input));
    res.status(202).json(presentStagedItem(item));
  });

  router.put('/transactions/:id/artifacts/:artifact_type/:artifact_id', async (req, res) => {
    const { type, artifactId } = artifactTarget(req);
    const input = { actor: actorOf(res), id: transactionId(req), type, artifactId, content: replacementContentOf(req, res, type, artifactId) };
    const item = await whileStaged(res, () => container.resolve(StageChange).replace(input));
    res.status(202).json(presentStagedItem(item));
  });

  router.delete('/transactions/:id/artifacts/:artifact_type/:artifact_id', async (req, res) => {
    const item = await container.resolve(StageChange).delete({ actor: actorOf(res), id: transactionId(req), ...artifactTarget(req) });
    res.status(202).json(presentStagedItem(item));
  });

  router.post('/transactions/:id/commit', async (req, res) => {
    const committed = await container.resolve(CommitTransaction).execute({ actor: actorOf(res), id: transactionId(req) });
    res.status(200).json(presentCommitted(req, committed));
  });

  return router;
}
