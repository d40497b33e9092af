/**
 * Group commit's scheduling, shared by the coalesced reads and the audit writer: items gather
 * while a run is under way, and when it ends everything gathered meanwhile goes in the next run,
 * so under load runs grow instead of multiplying. At most one run is under way at a time.
 *
 * `run` settles its items itself (each item carries its own resolve and reject); a run that
 * throws has its items handed to `failed`. With `deferStart`, the first item of a quiet spell
 * waits for the rest of this turn of the event loop (`setImmediate`), so the calls made in one
 * turn go together; otherwise it starts at once.
 */
export class OneAtATime<Item> {
  private waiting: Item[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly run: (items: Item[]) => Promise<void>,
    private readonly failed: (items: readonly Item[], error: unknown) => void,
    private readonly options: { readonly deferStart?: boolean } = {},
  ) {}

  add(item: Item): void {
    this.waiting.push(item);
    if (this.running || this.scheduled) return;
    if (!this.options.deferStart) {
      this.start();
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  /** Resolves once nothing is waiting or under way. */
  async idle(): Promise<void> {
    while (this.running || this.scheduled || this.waiting.length > 0) {
      if (this.running) await this.running;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private start(): void {
    if (this.running || this.waiting.length === 0) return;
    const items = this.waiting;
    this.waiting = [];
    this.running = this.run(items)
      .catch((error: unknown) => this.failed(items, error))
      .finally(() => {
        this.running = null;
        this.start();
      });
  }
}
