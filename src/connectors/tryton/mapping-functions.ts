// Functions the Tryton mappings call where the rule is more than a lookup.

interface Move {
  state?: unknown;
  quantity?: unknown;
}
interface Line {
  moves?: unknown;
}

function moves(v: unknown): Move[] {
  return Array.isArray(v) ? (v.filter((m) => m && typeof m === 'object') as Move[]) : [];
}

/** Quantity received on a purchase line: its stock moves that are done (purchase moves use the line's unit). */
export function receivedQuantity(lineMoves: unknown): number {
  let total = 0;
  for (const m of moves(lineMoves)) if (m.state === 'done') total += Number(m.quantity) || 0;
  // Float sums of unit quantities drift (0.1 + 0.2); Tryton rounds quantities far coarser than this.
  return Math.round(total * 1e6) / 1e6;
}

const BY_STATE: Record<string, string> = {
  draft: 'DRAFT',
  quotation: 'PENDING_APPROVAL',
  confirmed: 'APPROVED',
  done: 'CLOSED',
  cancelled: 'CANCELLED',
};

/** Unified status of a Tryton purchase; see the table in mappings.ts. */
export function purchaseStatus(state: unknown, shipmentState: unknown, lines: unknown): string | null {
  if (state === 'processing') {
    if (shipmentState === 'received') return 'RECEIVED';
    const anyReceived = (Array.isArray(lines) ? (lines as Line[]) : []).some((l) =>
      moves(l?.moves).some((m) => m.state === 'done'),
    );
    return anyReceived ? 'PARTIALLY_RECEIVED' : 'APPROVED';
  }
  return typeof state === 'string' ? (BY_STATE[state] ?? null) : null;
}

export const TRYTON_MAPPING_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  tryton_purchase_status: (state, shipmentState, lines) => purchaseStatus(state, shipmentState, lines),
  tryton_received_quantity: (m) => receivedQuantity(m),
};
