import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useMemo, useSyncExternalStore } from 'react';

/**
 * A few pages need no router library: the path and query live in the History API, and a page
 * reads them through useLocation(). Navigation moves focus to the new page's heading.
 */
const listeners = new Set<() => void>();
let focusPending = false;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, options: { replace?: boolean; keepFocus?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  focusPending = !options.keepFocus;
  for (const listener of listeners) listener();
}

/** Whether the last navigation asked for focus on the new page's heading (asked once). */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(current, window.location.origin);
    return { path: url.pathname, query: url.searchParams };
  }, [current]);
}

/** An <a> that navigates inside the app; modified clicks (new tab, ...) keep the browser's way. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}
