import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo } from 'react';
import { api, ApiError, setCsrfToken, whenSessionLost } from '../../../shared/api/client';
import { clearDraftsOf } from '../../report/model/report-model';
import type { Action, SessionView } from '../../../shared/api/types';

interface SessionState {
  /** null: not signed in. */
  session: SessionView | null;
  loading: boolean;
  /** Whether the session reaches the API (the second factor entered, or not needed). */
  signedIn: boolean;
  update: (session: SessionView | null) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
const KEY = ['session'] as const;

async function fetchSession(): Promise<SessionView | null> {
  try {
    return await api<SessionView>('/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: KEY, queryFn: fetchSession, staleTime: Infinity, retry: false });
  const session = query.data ?? null;

  const update = useCallback(
    (next: SessionView | null) => {
      setCsrfToken(next?.csrf_token ?? null);
      if (!next) client.removeQueries({ predicate: (q) => q.queryKey[0] !== KEY[0] });
      client.setQueryData(KEY, next);
    },
    [client],
  );
  useEffect(() => setCsrfToken(session?.csrf_token ?? null), [session]);
  useEffect(() => whenSessionLost(() => update(null)), [update]);

  const signOut = useCallback(async () => {
    // The signed-in user's drafts go with the session, whatever the server answers.
    const user = client.getQueryData<SessionView | null>(KEY)?.user.email;
    if (user) clearDraftsOf(user);
    try {
      await api('/auth/logout', { method: 'POST' });
    } finally {
      update(null);
      // React Query tells its observers on the next task. Let the app render signed out before the
      // caller navigates: rendered with the old session, '/' would redirect to that user's home,
      // where the next user to sign in would land.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }, [client, update]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      loading: query.isPending,
      signedIn: session !== null && (session.mfa === 'verified' || session.mfa === 'not_required'),
      update,
      signOut,
    }),
    [session, query.isPending, update, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/**
 * Whether the signed-in caller may take an action, from the list the server gave with the session:
 * what to show is decided by the server's grants and the token's scopes, not by role names here.
 */
export function useCan(): (action: Action) => boolean {
  const actions = useContext(SessionContext)?.session?.user.actions;
  return useCallback((action: Action) => actions?.includes(action) ?? false, [actions]);
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
