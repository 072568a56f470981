import type { Incident } from '../../../shared/api/types.js';

/** How the review queue may be ordered: by received time either way, by organisation, by sector. */
export const QUEUE_ORDERS = ['received_desc', 'received_asc', 'organization', 'sector'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

type Item = Pick<Incident, 'id' | 'first_received_at' | 'organization' | 'sector'>;

/**
 * The queue in `order`. Ties (one organisation's or one sector's incidents) keep the newest first;
 * organisations compare in the UI language's collation; sectors in the taxonomy's order (the
 * action plan's list), which `sectorRank` gives; records without either come last.
 */
export function orderQueue<T extends Item>(
  items: readonly T[],
  order: QueueOrder,
  lang: string,
  sectorRank: (code: string) => number,
): T[] {
  const newest = (a: T, b: T) => b.first_received_at.localeCompare(a.first_received_at) || b.id - a.id;
  const collator = new Intl.Collator(lang === 'en' ? 'en' : 'ja');
  const last = (present: boolean) => (present ? 0 : 1);
  const compare: Record<QueueOrder, (a: T, b: T) => number> = {
    received_desc: newest,
    received_asc: (a, b) => -newest(a, b),
    organization: (a, b) =>
      last(!!a.organization) - last(!!b.organization) ||
      collator.compare(a.organization ?? '', b.organization ?? '') ||
      newest(a, b),
    sector: (a, b) =>
      last(!!a.sector) - last(!!b.sector) ||
      (a.sector && b.sector ? sectorRank(a.sector) - sectorRank(b.sector) : 0) ||
      newest(a, b),
  };
  return [...items].sort(compare[order]);
}
