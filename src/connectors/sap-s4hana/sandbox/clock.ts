// The sandbox's notion of "now": anchored at the configured date, advancing with real time, and
// strictly increasing for change stamps so that `LastChangeDateTime gt <last seen>` never misses one.
export class SandboxClock {
  private readonly base: number;
  private readonly realStart = Date.now();
  private last = 0;
  constructor(now: Date | undefined) {
    this.base = now ? now.getTime() : this.realStart;
  }
  /** Epoch ms of the configured start, used to spread the seed history. */
  get start(): number {
    return this.base;
  }
  now(): number {
    return this.base + (Date.now() - this.realStart);
  }
  /** Makes later stamps greater than an existing one (the newest seeded change). */
  observe(ms: number): void {
    if (ms > this.last) this.last = ms;
  }
  /** A fresh change stamp, greater than every stamp handed out before and than `floor`. */
  stamp(floor = 0): number {
    const t = Math.max(this.now(), this.last + 1, floor + 1);
    this.last = t;
    return t;
  }
}
