import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from './errors';

export type Load<T> =
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'done'; readonly data: T }
  | { readonly status: 'failed'; readonly error: unknown; readonly data?: T };

const keeping = <T>(data: T | undefined): { data?: T } => (data === undefined ? {} : { data });

/**
 * Runs `load` when `deps` change and on `reload()`, keeping only the latest answer: a slow earlier
 * request never overwrites a newer one. On `reload()` the previous data stays visible meanwhile;
 * when `deps` change it does not (it belongs to something else).
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Load<T> & { reload: () => void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const lastGeneration = useRef(generation);
  useEffect(() => {
    const ticket = ++latest.current;
    const isReload = lastGeneration.current !== generation;
    lastGeneration.current = generation;
    setState((previous) => ({ status: 'loading', ...(isReload ? keeping(previous.data) : {}) }));
    load().then(
      (data) => {
        if (ticket === latest.current) setState({ status: 'done', data });
      },
      (error: unknown) => {
        if (ticket === latest.current && !isAbort(error)) setState((previous) => ({ status: 'failed', error, ...keeping(previous.data) }));
      },
    );
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
