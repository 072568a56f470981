import { describe, expect, it } from 'vitest';
import { orderQueue } from '../../web/src/features/classify/model/queue-order.js';

const item = (id: number, at: string, organization: string | null, sector: string | null) => ({
  id,
  first_received_at: at,
  organization,
  sector,
});
const items = [
  item(1, '2024-05-01T00:00:00.000Z', 'B Gas', 'gas'),
  item(2, '2024-06-01T00:00:00.000Z', 'A Power', 'electricity'),
  item(3, '2024-04-01T00:00:00.000Z', null, null),
  item(4, '2024-07-01T00:00:00.000Z', 'A Power', 'electricity'),
];
const SECTORS = ['electricity', 'gas'];
const rank = (code: string) => SECTORS.indexOf(code);
const ids = (order: Parameters<typeof orderQueue>[1]) =>
  orderQueue(items, order, 'en', rank).map((i) => i.id);

describe('orderQueue', () => {
  it('orders by received time, newest or oldest first', () => {
    expect(ids('received_desc')).toEqual([4, 2, 1, 3]);
    expect(ids('received_asc')).toEqual([3, 1, 2, 4]);
  });

  it('groups by organisation and by sector (taxonomy order), newest first within, the unnamed last', () => {
    expect(ids('organization')).toEqual([4, 2, 1, 3]);
    expect(ids('sector')).toEqual([4, 2, 1, 3]);
    const reversed = ['gas', 'electricity'];
    expect(orderQueue(items, 'sector', 'ja', (c) => reversed.indexOf(c)).map((i) => i.id)).toEqual([
      1, 4, 2, 3,
    ]);
  });

  it('leaves the given list as it was', () => {
    const before = items.map((i) => i.id);
    orderQueue(items, 'received_asc', 'en', rank);
    expect(items.map((i) => i.id)).toEqual(before);
  });
});
