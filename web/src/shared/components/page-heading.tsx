import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { takeFocusRequest, useLocation } from '../router';

/**
 * The page's <h1>; after an in-app navigation it takes the focus, so a screen reader announces the
 * new page and the keyboard continues from its top. It also names the browser tab.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { path, query } = useLocation();
  // Also when the page stays mounted across a navigation (one incident to another, sign-out to '/'):
  // the request must be taken where it was made, not by the next heading that happens to mount.
  const location = `${path}?${query.toString()}`;
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, [location]);
  useEffect(() => {
    document.title = `${title} | kyoyu`;
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
