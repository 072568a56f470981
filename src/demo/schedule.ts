import type { Classification } from '../domain/counting.js';
import type { Quarter } from '../domain/fiscal-calendar.js';
import type { Stage } from '../domain/taxonomy.js';
import type { Rng } from './rng.js';

export type Notation = 'utc' | 'jst';

export interface PlannedStage {
  stage: Stage;
  at: number;
  notation: Notation;
  classification: Classification;
}

/** Why an incident looks the way it does; the tests use the tags to prove the tricky cases exist. */
export type Scenario =
  | 'plain'
  | 'quarter_start'
  | 'quarter_end'
  | 'quarter_end_update_next'
  | 'final_later_quarter'
  | 'out_of_order'
  | 'same_instant'
  | 'leap_day';

export interface PlannedIncident {
  quarter: Quarter;
  scenario: Scenario;
  /** Stages in the order received; the last one carries the target classification. */
  stages: PlannedStage[];
  /** Written to the file last stage first, so that file order and received order disagree. */
  outOfOrder: boolean;
}

export interface QuarterWindow {
  quarter: Quarter;
  start: number;
  /** First instant of the next quarter (possibly of the next fiscal year). */
  end: number;
  /** Local midnight of 29 February if the quarter has one. */
  leapDay: number | null;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

/** A whole-second instant in [from, to). */
export function randomInstant(rng: Rng, from: number, to: number): number {
  return from + rng.int(Math.max(1, Math.floor((to - from) / SECOND))) * SECOND;
}

const randomNotation = (rng: Rng): Notation => (rng.chance(0.3) ? 'utc' : 'jst');
const alternate = (i: number): Notation => (i % 2 === 0 ? 'utc' : 'jst');

/**
 * A classification an earlier stage might carry before the analysis settled: a different event,
 * vaguer causes, and an attack type guessed wrong either way.
 */
export function provisional(target: Classification, eventCodes: readonly string[], rng: Rng): Classification {
  const events = eventCodes.filter((e) => e !== target.event);
  const event = rng.weighted(events, (e) => (e === 'other' || e === 'not_occurred.precursor' ? 4 : 1));
  const vague =
    target.causes.length === 1 && target.causes[0] === 'other.unknown' ? 'other.other' : 'other.unknown';
  const attackType = target.attackType
    ? rng.chance(0.5)
      ? null
      : 'other'
    : rng.chance(0.4)
      ? 'other'
      : null;
  return { event, causes: [vague], attackType: attackType === target.attackType ? null : attackType };
}

export class IncidentPlanner {
  constructor(
    private readonly rng: Rng,
    private readonly eventCodes: readonly string[],
  ) {}

  private stage(stage: Stage, at: number, notation: Notation, classification: Classification): PlannedStage {
    return { stage, at, notation, classification };
  }

  private incident(
    w: QuarterWindow,
    scenario: Scenario,
    stages: PlannedStage[],
    outOfOrder = false,
  ): PlannedIncident {
    return { quarter: w.quarter, scenario, stages, outOfOrder };
  }

  private early(target: Classification): Classification {
    return provisional(target, this.eventCodes, this.rng);
  }

  /** First report at the first instant of the quarter, sometimes followed by a final report. */
  quarterStart(w: QuarterWindow, target: Classification, i: number): PlannedIncident {
    const stages = [this.stage('initial', w.start, alternate(i), target)];
    if (i % 2 === 1) stages.push(this.stage('final', w.start + this.rng.between(2, 20) * DAY, 'jst', target));
    return this.incident(w, 'quarter_start', stages);
  }

  /** First report in the last second of the quarter; usually the update comes at the start of the next one. */
  quarterEnd(w: QuarterWindow, target: Classification, i: number): PlannedIncident {
    const initialAt = w.end - SECOND;
    if (i % 4 === 3)
      return this.incident(w, 'quarter_end', [this.stage('initial', initialAt, alternate(i), target)]);
    const first = this.early(target);
    const updateAt = i % 4 === 2 ? w.end + this.rng.between(1, 9) * HOUR : w.end;
    return this.incident(w, 'quarter_end_update_next', [
      this.stage('initial', initialAt, alternate(i), first),
      this.stage('update', updateAt, alternate(i + 1), this.rng.chance(0.5) ? first : this.early(target)),
      this.stage('final', updateAt + this.rng.between(3, 40) * DAY, randomNotation(this.rng), target),
    ]);
  }

  /** Earlier stages in this quarter with another classification, the final in a later quarter or year. */
  finalLaterQuarter(w: QuarterWindow, target: Classification): PlannedIncident {
    const initialAt = randomInstant(this.rng, w.start, w.start + (w.end - w.start) * 0.7);
    const first = this.early(target);
    const updateAt = initialAt + this.rng.between(1, 10) * DAY + this.rng.int(8) * HOUR;
    const finalAt = randomInstant(this.rng, w.end + HOUR, w.end + 60 * DAY);
    return this.incident(w, 'final_later_quarter', [
      this.stage('initial', initialAt, randomNotation(this.rng), first),
      this.stage('update', Math.min(updateAt, w.end - HOUR), randomNotation(this.rng), first),
      this.stage('final', finalAt, randomNotation(this.rng), target),
    ]);
  }

  /**
   * Three stages written final first; only the received times may decide which one speaks last and
   * when the incident counts. The first of each quarter ends in the next quarter, so that the file's
   * first line also names the wrong quarter.
   */
  outOfOrder(w: QuarterWindow, target: Classification, i: number): PlannedIncident {
    const crossing = i === 0;
    const initialAt = crossing
      ? randomInstant(this.rng, w.end - 8 * DAY, w.end - 6 * DAY)
      : randomInstant(this.rng, w.start, w.start + (w.end - w.start) * 0.5);
    const updateAt = initialAt + this.rng.between(1, 3) * DAY;
    const finalAt = crossing
      ? w.end + this.rng.between(1, 20) * DAY
      : updateAt + this.rng.between(3, 20) * DAY;
    return this.incident(
      w,
      'out_of_order',
      [
        this.stage('initial', initialAt, randomNotation(this.rng), this.early(target)),
        this.stage('update', updateAt, randomNotation(this.rng), this.early(target)),
        this.stage('final', finalAt, randomNotation(this.rng), target),
      ],
      true,
    );
  }

  /** Update and final received in the same second: the later stage speaks last. */
  sameInstant(w: QuarterWindow, target: Classification): PlannedIncident {
    const initialAt = randomInstant(this.rng, w.start, w.start + (w.end - w.start) * 0.6);
    const at = initialAt + this.rng.between(2, 10) * DAY;
    return this.incident(
      w,
      'same_instant',
      [
        this.stage('initial', initialAt, 'jst', this.early(target)),
        this.stage('update', at, 'utc', this.early(target)),
        this.stage('final', at, 'jst', target),
      ],
      true,
    );
  }

  /** Reports on 29 February, in both notations; local midnight written in UTC reads as the 28th. */
  leapDay(w: QuarterWindow, target: Classification, i: number): PlannedIncident {
    const day = w.leapDay!;
    const shapes: Array<[number, Notation]> = [
      [0, 'utc'],
      [12 * HOUR, 'utc'],
      [DAY - SECOND, 'utc'],
      [9 * HOUR + 30 * 60 * SECOND, 'jst'],
      [DAY - SECOND, 'jst'],
      [0, 'jst'],
    ];
    const [offset, notation] = shapes[i % shapes.length]!;
    const stages = [this.stage('initial', day + offset, notation, i % 3 === 2 ? this.early(target) : target)];
    if (i % 3 === 2) {
      // Final in the next quarter (the next fiscal year for an April start).
      stages.push(
        this.stage(
          'final',
          randomInstant(this.rng, w.end, w.end + 30 * DAY),
          randomNotation(this.rng),
          target,
        ),
      );
    }
    return this.incident(w, 'leap_day', stages);
  }

  /** Anything else: mostly one report, sometimes two or three, spread over the quarter. */
  plain(w: QuarterWindow, target: Classification): PlannedIncident {
    const at = randomInstant(this.rng, w.start, w.end);
    const stages = [this.stage('initial', at, randomNotation(this.rng), target)];
    const shape = this.rng.next();
    if (shape >= 0.6) {
      if (shape >= 0.85) {
        stages[0]!.classification = this.early(target);
        const updateAt = at + this.rng.between(1, 7) * DAY + this.rng.int(10) * HOUR;
        stages.push(
          this.stage(
            'update',
            updateAt,
            randomNotation(this.rng),
            this.rng.chance(0.5) ? target : this.early(target),
          ),
        );
      } else if (this.rng.chance(0.4)) {
        stages[0]!.classification = this.early(target);
      }
      const last = stages[stages.length - 1]!.at;
      stages.push(
        this.stage(
          'final',
          last + this.rng.between(1, 30) * DAY + this.rng.int(10) * HOUR,
          randomNotation(this.rng),
          target,
        ),
      );
    }
    return this.incident(w, 'plain', stages);
  }
}
