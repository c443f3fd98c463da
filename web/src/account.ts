import { getUser } from './api';
import type { UserAccount } from './api-types';
import { useSession } from './session';
import { useLoad, type Load } from './use-load';

type Loaded<T> = Load<T> & { reload: () => void };

/** The signed-in person's own account (their permissions), loaded once per session. */
export function useAccount(): Loaded<UserAccount | undefined> {
  const { session } = useSession();
  return useLoad(() => (session === undefined ? Promise.resolve(undefined) : getUser(session.userName)), [session?.userName, session?.token]);
}
