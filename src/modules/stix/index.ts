/** The stix module's public face: other modules import only what is exported here. */
export { importObjects } from './stix.import.js';
export type { ImportResult } from './stix.import.js';
export { checkStixObject, isStixId, isStixTimestamp } from './stix.check.js';
export { checkStixPattern } from './stix.pattern.js';
export { bundleOf } from './stix.bundle.js';
export { incidentObjects, INCIDENT_CORE_EXTENSION_ID, IMPACT_EXTENSION_ID } from './stix.incident.js';
export { advisoryObjects } from './stix.advisory.js';
export { TLP_MARKING_IDS, tlpMarking, tlpOfMarking } from './stix.markings.js';
export { stixId, stixTime, uuidV5, KYOYU_STIX_NAMESPACE } from './stix.ids.js';
export type { StixService } from './stix.service.js';
export type {
  Bilingual,
  ExportPolicy,
  StixAdvisoryInput,
  StixBundle,
  StixIncidentInput,
  StixIndicatorInput,
  StixObject,
  StixProducer,
} from './stix.types.js';
export { IncidentPublisher } from './stix.publish.js';
export type { PublishResult } from './stix.publish.js';
