import type { Channel } from './taxonomy.js';

/**
 * TLP 2.0 (FIRST): how far a record may travel. kyoyu maps each marking to the recipients it allows
 * inside the system; the policy module enforces it on every read, list, export and drill-down.
 */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/**
 * Who may receive a record of each marking, besides its own organisation (which always may):
 * - CLEAR, GREEN: every member of the community (every signed-in user);
 * - AMBER: those who need to know: the sector desks of its sector, the center, admins;
 * - AMBER+STRICT: its organisation only, plus the center that must handle it (and admins);
 * - RED: its organisation and the center's analysts, no one else (not even admins).
 */
export interface TlpRecipients {
  community: boolean;
  sectorDesks: boolean;
  center: boolean;
  admins: boolean;
}

export const TLP_RECIPIENTS: Record<Tlp, TlpRecipients> = {
  CLEAR: { community: true, sectorDesks: true, center: true, admins: true },
  GREEN: { community: true, sectorDesks: true, center: true, admins: true },
  AMBER: { community: false, sectorDesks: true, center: true, admins: true },
  'AMBER+STRICT': { community: false, sectorDesks: false, center: true, admins: true },
  RED: { community: false, sectorDesks: false, center: true, admins: false },
};

/** Markings that a given recipient group may receive; used to build SQL filters. */
export function tlpLevelsFor(group: keyof TlpRecipients): Tlp[] {
  return TLP_LEVELS.filter((t) => TLP_RECIPIENTS[t][group]);
}

/** The marking a record gets when its reporter names none. */
export function defaultTlp(channel: Channel): Tlp {
  return channel === 'center_provision' ? 'GREEN' : 'AMBER';
}

export const TLP_LABELS: Record<Tlp, { ja: string; en: string }> = {
  CLEAR: { ja: 'TLP:CLEAR（公開可）', en: 'TLP:CLEAR (public)' },
  GREEN: { ja: 'TLP:GREEN（コミュニティ内）', en: 'TLP:GREEN (community)' },
  AMBER: { ja: 'TLP:AMBER（組織と必要な関係者）', en: 'TLP:AMBER (organisation and need-to-know)' },
  'AMBER+STRICT': { ja: 'TLP:AMBER+STRICT（組織内のみ）', en: 'TLP:AMBER+STRICT (organisation only)' },
  RED: { ja: 'TLP:RED（指名された受信者のみ）', en: 'TLP:RED (named recipients only)' },
};
