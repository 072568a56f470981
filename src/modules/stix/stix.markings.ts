import type { Tlp } from '../../domain/tlp.js';
import type { StixObject } from './stix.types.js';

/*
 * The official TLP 2.0 marking definitions, exactly as OASIS publishes them (the TLP 2.0 extension,
 * https://github.com/oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0,
 * examples/tlp-*.json): fixed ids, `created` 2022-10-01T00:00:00.000Z, a name, and the property
 * extension `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d` with `tlp_2_0`. They are
 * never generated: a consumer recognises TLP by these ids. Every bundle that references one carries
 * the object itself, since STIX 2.1 §7.2.1.4 predefines only the TLP 1.0 markings.
 */
export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const TLP_MARKING_CREATED = '2022-10-01T00:00:00.000Z';

export const TLP_MARKING_IDS: Record<Tlp, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The marking-definition object of a TLP 2.0 level, as published. */
export function tlpMarking(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: TLP_MARKING_CREATED,
    name: `TLP:${tlp}`,
    extensions: {
      [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() },
    },
  };
}

const BY_ID = new Map(Object.entries(TLP_MARKING_IDS).map(([tlp, id]) => [id, tlp as Tlp]));

/** The TLP level of an official marking id, or undefined. */
export const tlpOfMarking = (id: string): Tlp | undefined => BY_ID.get(id);
