/**
 * Local wall-clock arithmetic for an IANA time zone, without a date library.
 *
 * Offsets are cached per 15-minute UTC bucket: every transition in the tz database falls on such a
 * boundary, and the cache turns a ~5 µs Intl call into a map lookup on the import hot path.
 */
export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const BUCKET_MS = 15 * 60 * 1000;
const SPAN_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export class TimeZone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  /** Per UTC 6-hour span: its offset when the span has no transition, else null (look per bucket). */
  private readonly spans = new Map<number, number | null>();

  constructor(name: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone: ${name}`);
    }
    this.name = name;
  }

  /** Offset from UTC in milliseconds at the given instant (positive east of Greenwich). */
  offsetAt(epochMs: number): number {
    // Most spans hold no transition (all of them in Asia/Tokyo): one entry serves 24 buckets.
    const span = Math.floor(epochMs / SPAN_MS);
    let spanOffset = this.spans.get(span);
    if (spanOffset === undefined) {
      const start = this.computeOffset(span * SPAN_MS);
      const end = this.computeOffset((span + 1) * SPAN_MS - BUCKET_MS);
      spanOffset = start === end && this.computeOffset(span * SPAN_MS + SPAN_MS / 2) === start ? start : null;
      if (this.spans.size > 100_000) this.spans.clear();
      this.spans.set(span, spanOffset);
    }
    if (spanOffset !== null) return spanOffset;
    const bucket = Math.floor(epochMs / BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.computeOffset(bucket * BUCKET_MS);
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** The wall-clock date and time of an instant in this zone. */
  local(instant: Date | number): LocalDateTime {
    const ms = typeof instant === 'number' ? instant : instant.getTime();
    const shifted = new Date(ms + this.offsetAt(ms));
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
    };
  }

  /**
   * The instant at which the wall clock in this zone shows the given local time. In a gap (spring
   * forward) the offset before the gap is used, which lands just after the gap; a time shown twice
   * (fall back) gives the earlier instant. Either way a local midnight gives the first instant of
   * its day, so that rangeOf() agrees with periodOf() even where a transition falls at midnight.
   */
  instantOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    // The offsets a day either side are those before and after any transition near the wanted time.
    const before = asUtc - this.offsetAt(asUtc - DAY_MS);
    const after = asUtc - this.offsetAt(asUtc + DAY_MS);
    const shows = (t: number) => t + this.offsetAt(t) === asUtc;
    if (shows(before) && shows(after)) return new Date(Math.min(before, after));
    return new Date(shows(after) ? after : before);
  }

  private computeOffset(epochMs: number): number {
    const parts = this.format.formatToParts(new Date(epochMs));
    const get = (type: Intl.DateTimeFormatPartTypes): number =>
      Number(parts.find((p) => p.type === type)?.value ?? 0);
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return asUtc - (epochMs - (epochMs % 1000));
  }
}
