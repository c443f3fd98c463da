import { useEffect, useState } from 'preact/hooks';

/** Who is signed in. The token lives in sessionStorage (this tab only, gone when it closes), never in a URL. */
export interface Session {
  readonly token: string;
  readonly userName: string;
}

export interface SessionState {
  readonly session: Session | undefined;
  /** Why the person was sent back to sign in (an expired token, …); shown once on the sign-in page. */
  readonly notice: string | undefined;
}

const STORAGE_KEY = 'tmr.session';
const listeners = new Set<() => void>();
let notice: string | undefined;

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return typeof parsed.token === 'string' && typeof parsed.userName === 'string' ? { token: parsed.token, userName: parsed.userName } : undefined;
  } catch {
    // Storage disabled or a value this version did not write: treat as signed out.
    return undefined;
  }
}

function changed(): void {
  for (const listener of listeners) listener();
}

export const currentToken = (): string | undefined => read()?.token;

export function signIn(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  notice = undefined;
  changed();
}

export function signOut(reason?: string): void {
  sessionStorage.removeItem(STORAGE_KEY);
  notice = reason;
  changed();
}

export function useSession(): SessionState {
  const [state, setState] = useState<SessionState>(() => ({ session: read(), notice }));
  useEffect(() => {
    const update = (): void => setState({ session: read(), notice });
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return state;
}
