import { Router, type Response } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { flagsOf, ManageUsers, type Caller } from '../../../application/manage-users.use-cases';
import type { User } from '../../../domain/user';
import { actorOf } from './artifact.routes';

const callerOf = (res: Response): Caller => ({ actor: actorOf(res), tokenHash: String(res.locals.tokenHash ?? '') });

const present = (user: User): Record<string, unknown> => ({ name: user.name, permissions: flagsOf(user) });

/** Accounts and sign-out. Who may do what is decided by the use cases, not here. */
export function userRoutes(container: DependencyContainer): Router {
  const router = Router();
  const users = (): ManageUsers => container.resolve(ManageUsers);

  router.delete('/authenticate', async (_req, res) => {
    await users().signOut({ caller: callerOf(res) });
    res.status(200).end();
  });
  router.post('/users', async (req, res) => {
    const body = req.body as { name?: unknown; password?: unknown; permissions?: unknown };
    const user = await users().create({ caller: callerOf(res), name: body.name, password: body.password, permissions: body.permissions });
    res.status(201).json(present(user));
  });
  router.get('/users', async (_req, res) => {
    res.status(200).json((await users().list({ caller: callerOf(res) })).map(present));
  });
  router.get('/users/:name', async (req, res) => {
    res.status(200).json(present(await users().get({ caller: callerOf(res), name: String(req.params.name) })));
  });
  router.put('/users/:name/permissions', async (req, res) => {
    res.status(200).json(present(await users().setPermissions({ caller: callerOf(res), name: String(req.params.name), permissions: req.body })));
  });
  router.put('/users/:name/password', async (req, res) => {
    const body = req.body as { current_password?: unknown; new_password?: unknown };
    await users().setPassword({ caller: callerOf(res), name: String(req.params.name), currentPassword: body.current_password, newPassword: body.new_password });
    res.status(200).end();
  });
  router.delete('/users/:name', async (req, res) => {
    await users().delete({ caller: callerOf(res), name: String(req.params.name) });
    res.status(200).end();
  });
  return router;
}
