import type { Generated } from 'kysely';

/** The tables of indicators on reports (migration 014). */
export interface IncidentIndicatorTable {
  id: Generated<number>;
  incident_id: number;
  /** One of INDICATOR_TYPES (src/domain/indicators.ts). */
  type: string;
  /** In the normal form of its type: the same indicator written two ways is one row. */
  value: string;
  /** TLP 2.0 marking of the indicator: the incident's at the write, or a stricter one. */
  tlp: string;
  /** reported (with a report) | adopted (from the free text, later). */
  source: string;
  created_at: string;
  created_by: number | null;
}

export interface IndicatorTables {
  incident_indicators: IncidentIndicatorTable;
}
