/** The periods module's public face: other modules import only what is exported here. */
export {
  countLateFilings,
  readClosedPeriods,
  readSnapshotQuartersWithRecords,
  readSnapshots,
} from './period.repository.js';
