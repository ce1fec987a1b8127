import type { YearClock } from './formats/types';

/**
 * Years for logs that print none. Starts from the file's own date (glog header or file name) and moves
 * the year forward when month/day jumps backwards by half a year or more (Dec → Jan). A smaller step back
 * is a clock going backwards, not a new year. Never consults the file's mtime or today's date.
 */
export class RollingYearClock implements YearClock {
  private year: number;
  private lastMonth: number;
  private lastDay: number;
  rollovers = 0;

  constructor(start: { year: number; month: number; day: number }) {
    this.year = start.year;
    this.lastMonth = start.month;
    this.lastDay = start.day;
  }

  yearFor(month: number, day: number): number {
    // `I1314 …` or `I0014 …` is no date: it must not move the year for the lines after it.
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return this.year;
    if (month < this.lastMonth - 6) {
      this.year++;
      this.rollovers++;
    } else if (month > this.lastMonth + 6 && this.rollovers > 0) {
      // A late line from the old year right after the rollover (clock skew around midnight).
      return this.year - 1;
    }
    this.lastMonth = month;
    this.lastDay = day;
    return this.year;
  }

  /** The clock as data, to resume a scan later. */
  state(): { year: number; month: number; day: number; rollovers: number } {
    return { year: this.year, month: this.lastMonth, day: this.lastDay, rollovers: this.rollovers };
  }

  static fromState(s: { year: number; month: number; day: number; rollovers: number }): RollingYearClock {
    const c = new RollingYearClock({ year: s.year, month: s.month, day: s.day });
    c.rollovers = s.rollovers;
    return c;
  }

  get currentYear(): number {
    return this.year;
  }

  get lastDate(): { month: number; day: number } {
    return { month: this.lastMonth, day: this.lastDay };
  }
}
