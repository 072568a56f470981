import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { takeFocusRequest } from '../router';

/**
 * The page's <h1>; after an in-app navigation it takes the focus, so a screen reader announces the
 * new page and the keyboard continues from its top. It also names the browser tab.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${title} | kyoyu`;
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
