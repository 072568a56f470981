/** Who may see and do what with a record: the one access module (see README "Access"). */
export * from './actor.js';
export * from './grants.js';
export * from './visibility.js';
export * from './records.js';
export * from './conversation.js';
export * from './indicators.js';
export * from './collections.js';
