import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroll: on a narrow screen the table scrolls here, not the page.
 * A region with a name that takes the focus, so that the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
