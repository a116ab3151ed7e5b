// The systems Ironbridge can connect to. The shipped registry holds real connectors only;
// tests register their own systems on a registry of their own.
import type { Connector, SystemDescriptor } from './types.ts';

export class Registry {
  #byId = new Map<string, Connector>();

  constructor(connectors: Connector[] = []) {
    for (const c of connectors) this.register(c);
  }

  register(connector: Connector): void {
    if (this.#byId.has(connector.descriptor.id))
      throw new Error(`System ${connector.descriptor.id} is already registered`);
    this.#byId.set(connector.descriptor.id, connector);
  }

  get(id: string): Connector | undefined {
    return this.#byId.get(id);
  }

  list(): SystemDescriptor[] {
    return [...this.#byId.values()].map((c) => c.descriptor).sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** Credits a connection of this system consumes: tier 1 → 1, 2 → 2, 3 → 4; on-premise doubles. */
export function creditsFor(descriptor: SystemDescriptor, deployment: 'cloud' | 'on_premise'): number {
  const base = { 1: 1, 2: 2, 3: 4 }[descriptor.credit_tier];
  return deployment === 'on_premise' ? base * 2 : base;
}

let shipped: Promise<Connector[]> | null = null;
const loadShipped = () => (shipped ??= Promise.all(SHIPPED.map((load) => load())));

export async function shippedRegistry(): Promise<Registry> {
  return new Registry(await loadShipped());
}

/** Whether this very connector is a shipped one, which any thread of the process can load by its id. */
export async function isShipped(connector: Connector): Promise<boolean> {
  return (await loadShipped()).includes(connector);
}

// Each connector folder exports one Connector; the list grows as connectors land.
const SHIPPED: (() => Promise<Connector>)[] = [
  async () => (await import('./sap-s4hana/index.ts')).sapS4hana,
  async () => (await import('./tryton/index.ts')).tryton,
];
