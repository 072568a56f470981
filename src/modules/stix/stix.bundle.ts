import type { Tlp } from '../../domain/tlp.js';
import { uuidV5 } from './stix.ids.js';
import { tlpMarking, tlpOfMarking } from './stix.markings.js';
import type { StixBundle, StixObject } from './stix.types.js';

/**
 * A bundle of objects (STIX 2.1 §8): each object once (a sector's Identity is shared by many
 * incidents), the TLP 2.0 marking definition of every marking an object references, and an id
 * that follows from what it holds (the same objects, the same bundle).
 */
export function bundleOf(objects: readonly StixObject[]): StixBundle {
  const byId = new Map<string, StixObject>();
  for (const o of objects) if (!byId.has(o.id)) byId.set(o.id, o);
  const markings = new Set<Tlp>();
  for (const o of byId.values())
    for (const ref of (o.object_marking_refs as string[] | undefined) ?? []) {
      const tlp = tlpOfMarking(ref);
      if (tlp) markings.add(tlp);
    }
  for (const tlp of markings) {
    const marking = tlpMarking(tlp);
    byId.set(marking.id, marking);
  }
  const all = [...byId.values()];
  const content = all
    .map((o) => `${o.id}|${o.modified ?? o.created ?? ''}`)
    .sort()
    .join('\n');
  return { type: 'bundle', id: `bundle--${uuidV5(`bundle|${content}`)}`, objects: all };
}
